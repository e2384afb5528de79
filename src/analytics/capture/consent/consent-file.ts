/**
 * consent.json: the current decision. Validated strictly on every read: a file that does not parse or does not
 * match is "corrupt", which means analytics off and the file left exactly as it is for someone to look at.
 * Only an explicit decision (`analytics enable|disable`) moves a corrupt file aside, never a silent overwrite.
 */
import { readFileSync, renameSync } from 'node:fs';
import { z } from 'zod';

import { allScopes, type AnalyticsPaths, ensureAnalyticsHome, type Scope } from '../../events/index.js';
import { setAsideName, writeFileAtomically } from '../../../files/index.js';

export const consentFileFormat = 1;

/** What consent.json holds. */
export interface ConsentDecision {
  format: typeof consentFileFormat;
  /** The notice version the person saw when deciding. */
  noticeVersion: number;
  /** The scopes allowed (empty: decided "none", so nobody asks again until the notice changes). */
  scopes: Scope[];
  /** Random (crypto.randomUUID), created on the first grant; null until something was ever allowed. */
  installId: string | null;
  decidedAt: string;
  /** Overrides the default retention of recorded events (180 days). */
  retentionDays?: number;
}

const scopeList = z
  .array(z.enum(allScopes as [Scope, ...Scope[]]))
  .refine((scopes) => new Set(scopes).size === scopes.length, 'scopes are listed twice');

export const consentDecisionSchema = z.strictObject({
  format: z.literal(consentFileFormat),
  noticeVersion: z.int().positive(),
  scopes: scopeList,
  installId: z.uuid().nullable(),
  decidedAt: z.iso.datetime(),
  retentionDays: z.int().positive().optional(),
});

export type ConsentFileState =
  | { state: 'missing' }
  | { state: 'ok'; decision: ConsentDecision }
  | { state: 'corrupt'; reason: string };

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | null)?.code;
}

/** Reads and validates consent.json. Never throws. */
export function readConsentFile(paths: AnalyticsPaths): ConsentFileState {
  let text: string;
  try {
    text = readFileSync(paths.consentFile, 'utf8');
  } catch (error) {
    // ENOTDIR: the home path runs through a regular file, so nothing was ever decided there.
    const code = errnoCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') return { state: 'missing' };
    return { state: 'corrupt', reason: `cannot be read (${code ?? String(error)})` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { state: 'corrupt', reason: 'is not valid JSON' };
  }
  const parsed = consentDecisionSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? `${issue.path.join('.')}: ` : '';
    return { state: 'corrupt', reason: `does not match format ${consentFileFormat} (${where}${issue?.message ?? 'invalid'})` };
  }
  return { state: 'ok', decision: parsed.data as ConsentDecision };
}

/** Writes consent.json atomically (0600), creating the home directory. Throws when it cannot. */
export function writeConsentFile(paths: AnalyticsPaths, decision: ConsentDecision): void {
  ensureAnalyticsHome(paths);
  writeFileAtomically(paths.consentFile, `${JSON.stringify(decision, null, 2)}\n`);
}

/** Moves a corrupt consent.json to consent.json.corrupt-<time> (kept for inspection); returns the new path. */
export function setAsideCorruptConsentFile(paths: AnalyticsPaths, now: number): string {
  const target = setAsideName(paths.consentFile, 'corrupt', now);
  renameSync(paths.consentFile, target);
  return target;
}
