import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeEach, describe, expect, it } from 'vitest';

import { openAnalyticsDatabase } from '../../src/analytics/warehouse/open-analytics-database.js';
import { listErrorGroups } from '../../src/analytics/query/error-groups.js';
import { updateErrorGroups } from '../../src/analytics/warehouse/error-groups.js';
import { analyticsPathsIn } from '../../src/analytics/events/paths.js';
import { errorsList, errorsResolve, errorsShow } from '../../src/cli/errors-command.js';
import { ErrorCodes } from '../../src/core/errors.js';
import { recordedError } from '../support/analytics-query-fixtures.js';
import { capturedIO } from '../support/cli.js';

const fakeIO = (home: string) => capturedIO({ KEYSCOPE_HOME: home });

/** Recent, minute-aligned: opening the database applies retention, which drops groups not seen for 180 days. */
const t0 = Math.floor(Date.now() / 86_400_000) * 86_400_000 - 86_400_000 + (4 * 60 + 5) * 60_000;
const dayText = new Date(t0).toISOString().slice(0, 10);
let home: string;

beforeEach(async () => {
  home = mkdtempSync(join(tmpdir(), 'keyscope-errors-cli-'));
  const database = await openAnalyticsDatabase({ paths: analyticsPathsIn(home) });
  await updateErrorGroups(database.connection, [
    recordedError({ time: t0, fingerprint: 'aaaa111122223333', message: 'key size too small' }),
    recordedError({ time: t0 + 60_000, fingerprint: 'aaaa111122223333', message: 'key size too small' }),
    recordedError({ time: t0 + 120_000, fingerprint: 'bbbb111122223333', errorType: 'StoreError', code: 'KS_STORE_CORRUPT', message: 'keyscope store <path> is corrupt', openssl: [] }),
  ]);
  await database.close();
});

describe('keyscope errors', () => {
  it('lists groups as a table, most recently seen first, and filters by status', async () => {
    const { io, stdout } = fakeIO(home);
    expect(await errorsList({}, io)).toBe(0);
    const lines = stdout().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^FINGERPRINT\s+STATUS\s+COUNT\s+FIRST SEEN\s+LAST SEEN\s+CODE\s+TYPE\s+MESSAGE$/);
    expect(lines[1]).toMatch(new RegExp(`^bbbb111122223333\\s+open\\s+1\\s+${dayText} 04:07Z\\s+${dayText} 04:07Z\\s+KS_STORE_CORRUPT\\s+StoreError\\s+keyscope store <path> is corrupt$`));
    expect(lines[2]).toMatch(new RegExp(`^aaaa111122223333\\s+open\\s+2\\s+${dayText} 04:05Z\\s+${dayText} 04:06Z\\s+KS_OPENSSL\\s+OpenSSLError\\s+key size too small$`));

    const resolved = fakeIO(home);
    expect(await errorsList({ status: 'resolved' }, resolved.io)).toBe(0);
    expect(resolved.stdout()).toBe('no resolved errors\n');
  });

  it('prints JSON with --json', async () => {
    const { io, stdout } = fakeIO(home);
    await errorsList({ json: true }, io);
    const groups = JSON.parse(stdout()) as { fingerprint: string; count: number }[];
    expect(groups.map((g) => [g.fingerprint, g.count])).toEqual([
      ['bbbb111122223333', 1],
      ['aaaa111122223333', 2],
    ]);
  });

  it('shows one group by prefix with its frames, reason and versions', async () => {
    const { io, stdout } = fakeIO(home);
    expect(await errorsShow('aaaa', {}, io)).toBe(0);
    const text = stdout();
    expect(text).toContain('error group aaaa111122223333 (open)');
    expect(text).toContain('OpenSSLError KS_OPENSSL: key size too small');
    expect(text).toContain('OpenSSL reason: key size too small');
    expect(text).toContain('seen 2 times');
    expect(text).toContain('keyscope versions: 0.1.0');
    expect(text).toContain('    at generate (dist/core/keygen.js)');
  });

  it('resolves a group and refuses unknown fingerprints and bad statuses with stable codes', async () => {
    const { io, stdout } = fakeIO(home);
    expect(await errorsResolve('bbbb', { now: () => t0 + 3_600_000 }, io)).toBe(0);
    expect(stdout()).toContain('resolved bbbb111122223333');
    const database = await openAnalyticsDatabase({ paths: analyticsPathsIn(home) });
    try {
      expect((await listErrorGroups(database.connection, { status: 'resolved' })).map((g) => g.fingerprint)).toEqual(['bbbb111122223333']);
    } finally {
      await database.close();
    }
    await expect(errorsShow('cccc', {}, fakeIO(home).io)).rejects.toMatchObject({ code: ErrorCodes.errorGroupNotFound });
    await expect(errorsList({ status: 'closed' }, fakeIO(home).io)).rejects.toMatchObject({ code: ErrorCodes.usage });
  });
});
