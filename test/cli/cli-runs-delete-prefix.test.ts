/**
 * `runs delete` names a run as every other command does: a full id, the first characters of one, or a label. An
 * ambiguous prefix deletes nothing and lists the runs it matches.
 */
import { describe, expect, it } from 'vitest';

import { runCli } from '../support/cli.js';
import { storeWith } from '../support/runs-fixtures.js';
import { makeRun } from '../support/store-fixtures.js';

const first = makeRun({ id: 'abcd1111-0000-4000-8000-000000000001', label: 'baseline', startedAt: '2026-11-01T10:00:00.000Z', samples: 100 });
const second = makeRun({ id: 'abcd2222-0000-4000-8000-000000000002', label: 'pr-7', startedAt: '2026-11-02T10:00:00.000Z', samples: 100 });
const third = makeRun({ id: 'ef012345-0000-4000-8000-000000000003', label: null, startedAt: '2026-11-03T10:00:00.000Z', samples: 100 });

async function storedIds(db: string): Promise<string[]> {
  return (JSON.parse((await runCli(['runs', 'list', '--json', '--db', db])).stdout) as { id: string }[]).map((run) => run.id).sort();
}

describe('keyscope runs delete RUN', () => {
  it('deletes the run an id prefix names, printing its full id', async () => {
    const { db } = await storeWith([first, second, third]);
    const result = await runCli(['runs', 'delete', 'abcd2', '--db', db]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toBe(`deleted run ${second.id}\n`);
    expect(await storedIds(db)).toEqual([first.id, third.id]);
  });

  it('refuses an ambiguous prefix with KS_RUN_AMBIGUOUS, listing the matches, and deletes nothing', async () => {
    const { db } = await storeWith([first, second, third]);
    const result = await runCli(['runs', 'delete', 'abcd', '--db', db]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `keyscope: error KS_RUN_AMBIGUOUS: "abcd" is the start of more than one run id in ${db}: ${second.id} (pr-7), ${first.id} (baseline); type more of it\n`,
    );
    expect(await storedIds(db)).toEqual([first.id, second.id, third.id]);
  });

  it('deletes by label and still refuses what names no run', async () => {
    const { db } = await storeWith([first, second, third]);
    expect((await runCli(['runs', 'delete', 'baseline', '--db', db])).stdout).toBe(`deleted run ${first.id}\n`);
    const missing = await runCli(['runs', 'delete', '9999', '--db', db]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^keyscope: error KS_RUN_NOT_FOUND: no run with id or label "9999" in .*store\.duckdb, and no such file\n$/);
    expect(await storedIds(db)).toEqual([second.id, third.id]);
  });
});
