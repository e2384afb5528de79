/** `runs list` prints a header naming its columns, and each run's values line up under them. */
import { describe, expect, it } from 'vitest';

import { runCli } from '../support/cli.js';
import { storeWith } from '../support/runs-fixtures.js';
import { makeRun } from '../support/store-fixtures.js';

describe('keyscope runs list', () => {
  it('starts with a header, and every column of every row starts under its name', async () => {
    const older = makeRun({ id: '11111111-0000-4000-8000-000000000001', label: 'baseline', startedAt: '2026-11-01T10:00:00.000Z', samples: 100 });
    const newer = makeRun({ id: '22222222-0000-4000-8000-000000000002', label: null, startedAt: '2026-11-02T10:00:00.000Z', samples: 100, testbed: 'ci-runner' });
    const { db } = await storeWith([older, newer]);
    const result = await runCli(['runs', 'list', '--db', db]);
    expect(result.status).toBe(0);
    const [header, ...rows] = result.stdout.trimEnd().split('\n');
    expect(header!.split(/\s+/)).toEqual(['id', 'started', 'status', 'label', 'cases', 'samples', 'testbed', 'git']);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.startsWith(newer.id)).toBe(true);
    const at = (name: string) => header!.indexOf(name);
    for (const row of rows) {
      expect(row.slice(at('started')).startsWith('2026-11-0')).toBe(true);
      expect(row.slice(at('status')).startsWith('complete')).toBe(true);
    }
    expect(rows[1]!.slice(at('label')).startsWith('baseline')).toBe(true);
    expect(rows[0]!.slice(at('label')).startsWith('-')).toBe(true);
    expect(rows[0]!.slice(at('testbed')).startsWith('ci-runner ')).toBe(true);
    expect(rows[1]!.slice(at('testbed')).startsWith(`${older.testbed} `)).toBe(true);
  });
});
