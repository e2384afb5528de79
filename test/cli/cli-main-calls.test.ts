/** main() keeps nothing between calls: each call's exit status is its own, one after another or at the same time. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';

import { main } from '../../src/cli/main.js';

const dir = mkdtempSync(join(tmpdir(), 'keyscope-main-calls-'));
const io = () => ({ stdout: new PassThrough(), env: { KEYSCOPE_HOME: join(dir, 'home'), DO_NOT_TRACK: '1' } });
/** compare's failures exit 2 (its exit 1 means "regression"): a run store that does not exist is one. */
const failingCompare = ['compare', 'baseline', 'candidate', '--db', join(dir, 'no-such-store.duckdb')];
/** A key file in a directory that does not exist: KS_FILE_WRITE, which exits 1. */
const failingKeygen = ['keygen', 'ed25519', '--out', join(dir, 'no-such-directory', 'key.pem')];

beforeEach(() => {
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true); // main() writes its error lines there
});
afterEach(() => {
  vi.restoreAllMocks();
});

it('exits 0 after a call that failed, and 1 for a failure that is not compare\'s', async () => {
  expect(await main(failingCompare, io())).toBe(2);
  expect(await main(['algorithms', '--json'], io())).toBe(0);
  expect(await main(failingCompare, io())).toBe(2);
  expect(await main(failingKeygen, io())).toBe(1);
});

it('gives each of several calls running at once its own exit status', async () => {
  // compare last: its action starts (and says how its failures exit) while the others are still running.
  const [algorithms, keygen, compare] = await Promise.all([main(['algorithms'], io()), main(failingKeygen, io()), main(failingCompare, io())]);
  expect({ compare, keygen, algorithms }).toEqual({ compare: 2, keygen: 1, algorithms: 0 });
});
