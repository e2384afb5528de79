/**
 * Saved views: named ViewStates in `$KEYSCOPE_HOME/dashboard-views.json`, replaced atomically on every change
 * (temp file + rename), so a crash leaves the old list or the new one. The file is read on every request:
 * it is small, and another dashboard (another port) may have changed it. A file that is not a valid list
 * (edited by hand, say) reads as empty and is set aside on the next save rather than overwritten silently.
 */
import { readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';

import { z } from 'zod';

import { setAsideName, writeFileAtomically } from '../../files/index.js';
import { type AnalyticsPaths, ensureAnalyticsHome } from '../../analytics/events/index.js';
import { ErrorCodes } from '../../core/index.js';
import { DashboardError } from './api-error.js';
import { dashboardPages, type SavedViewsData, type ViewState } from './api-types.js';
import { describeIssue, pageQuerySchema, rangeSchema } from './page-query.js';

/** Starts with a letter or digit: `.` and `..` (and names made only of dots or spaces) are unusable in a URL path. */
export const viewNamePattern = /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,63}$/;

export const viewStateSchema = z.strictObject({
  page: z.enum(dashboardPages, { error: `must be one of ${dashboardPages.join(', ')}` }),
  range: rangeSchema,
  algorithm: pageQuerySchema.shape.algorithm,
  implementation: pageQuerySchema.shape.implementation,
  operation: pageQuerySchema.shape.operation,
  outcome: pageQuerySchema.shape.outcome,
  panels: z
    .array(z.string().regex(/^[a-z0-9-]{1,40}$/, { error: 'must be a panel id (a-z, 0-9, -)' }))
    .max(32, { error: 'must list at most 32 panels' })
    .optional(),
});

const savedViewsSchema = z.object({
  views: z.array(z.object({ name: z.string().regex(viewNamePattern), state: viewStateSchema, savedAt: z.string() })),
});

export function viewsFile(paths: AnalyticsPaths): string {
  return join(paths.home, 'dashboard-views.json');
}

function invalidView(message: string): DashboardError {
  return new DashboardError(400, ErrorCodes.dashboardInvalidView, message);
}

export function checkViewName(name: string): string {
  if (!viewNamePattern.test(name)) throw invalidView(`bad view name ${JSON.stringify(name)} (1-64 characters: letters, digits, space, . _ -, starting with a letter or digit)`);
  return name;
}

/** The body of PUT /api/views/:name. */
export function parseViewState(body: unknown): ViewState {
  const parsed = viewStateSchema.safeParse(body);
  if (!parsed.success) throw invalidView(`bad view (${describeIssue(parsed.error)})`);
  const state: ViewState = { page: parsed.data.page, range: parsed.data.range };
  for (const key of ['algorithm', 'implementation', 'operation', 'outcome', 'panels'] as const) {
    if (parsed.data[key] !== undefined) Object.assign(state, { [key]: parsed.data[key] });
  }
  return state;
}

type ReadResult = { data: SavedViewsData; damaged: boolean };

function read(file: string): ReadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { data: { views: [] }, damaged: false };
    throw error;
  }
  try {
    const parsed = savedViewsSchema.safeParse(JSON.parse(text));
    if (parsed.success) return { data: parsed.data as SavedViewsData, damaged: false };
  } catch {
    // Not JSON: handled as damaged below.
  }
  return { data: { views: [] }, damaged: true };
}

export class SavedViews {
  readonly #paths: AnalyticsPaths;
  readonly #now: () => number;

  constructor(paths: AnalyticsPaths, now: () => number = Date.now) {
    this.#paths = paths;
    this.#now = now;
  }

  list(): SavedViewsData {
    const { data } = read(viewsFile(this.#paths));
    return { views: [...data.views].sort((a, b) => a.name.localeCompare(b.name)) };
  }

  /** Saves (or replaces) the view `name`; returns the whole list. */
  save(name: string, state: ViewState): SavedViewsData {
    return this.#change((views) => [...views.filter((view) => view.name !== name), { name, state, savedAt: new Date(this.#now()).toISOString() }]);
  }

  /** Removes the view `name`; false when there was none. */
  remove(name: string): boolean {
    let found = false;
    this.#change((views) => {
      found = views.some((view) => view.name === name);
      return views.filter((view) => view.name !== name);
    });
    return found;
  }

  #change(update: (views: SavedViewsData['views']) => SavedViewsData['views']): SavedViewsData {
    const file = viewsFile(this.#paths);
    const { data, damaged } = read(file);
    ensureAnalyticsHome(this.#paths);
    if (damaged) renameSync(file, setAsideName(file, 'corrupt', this.#now()));
    const views = update(data.views).sort((a, b) => a.name.localeCompare(b.name));
    writeFileAtomically(file, `${JSON.stringify({ views }, null, 2)}\n`);
    return { views };
  }
}
