/**
 * notice-shown.json: the CLI's first-run notice was shown, under which notice version. Only so that it is shown
 * once per install (and again when the notice changes); it is not a decision, and nothing reads it as one.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';

import { type AnalyticsPaths, ensureAnalyticsHome } from '../../events/index.js';
import { writeFileAtomically } from '../../../files/index.js';

const noticeShownSchema = z.strictObject({ noticeVersion: z.int().positive(), shownAt: z.iso.datetime() });

/** Whether the notice of `version` was shown already. A missing or unreadable file means no. Never throws. */
export function noticeShown(paths: AnalyticsPaths, version: number): boolean {
  try {
    const parsed = noticeShownSchema.safeParse(JSON.parse(readFileSync(paths.noticeShownFile, 'utf8')));
    return parsed.success && parsed.data.noticeVersion >= version;
  } catch {
    return false;
  }
}

/** Remembers that the notice of `version` was shown. Best effort: if it cannot be saved, it is shown again. */
export function markNoticeShown(paths: AnalyticsPaths, version: number, now: number): void {
  try {
    ensureAnalyticsHome(paths);
    writeFileAtomically(paths.noticeShownFile, `${JSON.stringify({ noticeVersion: version, shownAt: new Date(now).toISOString() })}\n`);
  } catch {
    // An unwritable home: the person sees the notice on the next run too, which is the safe side.
  }
}
