/**
 * Sessions: CLI commands less than 30 minutes apart share one session (session.json carries it from one
 * process to the next); a library session is the process. Session ids are random and say nothing about who.
 * Call continueCliSession only when something will be recorded: it creates the analytics home directory.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';

import { writeFileAtomically } from '../../files/index.js';
import { type AnalyticsPaths, ensureAnalyticsHome } from '../events/index.js';

/** Commands further apart than this start a new session. */
export const sessionIdleMs = 30 * 60 * 1000;

export interface SessionInfo {
  sessionId: string;
  /** True when this call started the session (the caller records session.start then). */
  isNew: boolean;
  /** Milliseconds since the epoch. */
  startedAt: number;
}

const sessionFileSchema = z.strictObject({
  id: z.uuid(),
  startedAt: z.iso.datetime(),
  lastActivityAt: z.iso.datetime(),
});

function readSession(paths: AnalyticsPaths): z.infer<typeof sessionFileSchema> | null {
  try {
    const parsed = sessionFileSchema.safeParse(JSON.parse(readFileSync(paths.sessionFile, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    // Missing, unreadable or not JSON: a session is a convenience, so it simply starts over.
    return null;
  }
}

/** Continues the CLI session if its last command was under 30 minutes ago, else starts one. Never throws. */
export function continueCliSession(paths: AnalyticsPaths, now: number = Date.now()): SessionInfo {
  const previous = readSession(paths);
  const idle = previous ? now - Date.parse(previous.lastActivityAt) : Number.POSITIVE_INFINITY;
  // A last activity in the future means the clock moved back: treat it as a new session rather than guess.
  const session: SessionInfo =
    previous && idle >= 0 && idle < sessionIdleMs
      ? { sessionId: previous.id, isNew: false, startedAt: Date.parse(previous.startedAt) }
      : { sessionId: randomUUID(), isNew: true, startedAt: now };
  try {
    ensureAnalyticsHome(paths);
    const record = { id: session.sessionId, startedAt: new Date(session.startedAt).toISOString(), lastActivityAt: new Date(now).toISOString() };
    writeFileAtomically(paths.sessionFile, `${JSON.stringify(record)}\n`);
  } catch {
    // Not writable: this command still gets its session; the next one starts another.
  }
  return session;
}

let processSession: SessionInfo | null = null;

/** The library's session: one random id per process, new on the first call. */
export function librarySession(now: number = Date.now()): SessionInfo {
  if (processSession) return { ...processSession, isNew: false };
  processSession = { sessionId: randomUUID(), isNew: true, startedAt: now };
  return processSession;
}
