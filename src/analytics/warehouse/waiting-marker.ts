/**
 * A process waiting for the analytics database says so by touching `<database>.waiting`, so that a holder that
 * would otherwise hand the file from one of its opens to the next (the dashboard answering pages back to back)
 * knows to leave it free for a moment. Only the file's time matters; it is private like every file of the home.
 */
import { closeSync, openSync, rmSync, statSync, utimesSync } from 'node:fs';

/** How recent a touch must be to count: a waiting open retries at least every 200 ms. */
const freshMs = 1000;

const markerOf = (database: string) => `${database}.waiting`;

/** Says "I am waiting for this file"; best effort (a read-only home only loses the hint). */
export function markWaiting(database: string): void {
  const marker = markerOf(database);
  try {
    const now = new Date();
    try {
      utimesSync(marker, now, now);
    } catch {
      closeSync(openSync(marker, 'a', 0o600));
    }
  } catch {
    // The hint is optional: the wait goes on without it.
  }
}

/** The wait is over (this process got the file, or gave up). */
export function clearWaiting(database: string): void {
  try {
    rmSync(markerOf(database), { force: true });
  } catch {
    // Left behind, it goes stale within a second and then means nothing.
  }
}

/** Whether another process has said, within the last second, that it waits for this file. */
export function someoneWaits(database: string, now = Date.now()): boolean {
  try {
    return now - statSync(markerOf(database)).mtimeMs < freshMs;
  } catch {
    return false;
  }
}
