import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { resolveErrorGroup } from '../../src/analytics/query/error-groups.js';
import { updateErrorGroups } from '../../src/analytics/warehouse/error-groups.js';
import { errorFrequency, resolutionRate } from '../../src/analytics/query/index.js';
import { type FixtureDatabase, insertEvents, openFixtureDatabase, recordedError } from '../support/analytics-query-fixtures.js';

const H0 = Date.UTC(2025, 0, 1, 10);
const hour = 3_600_000;
const [A, B, C] = ['aaaa000000000000', 'bbbb000000000000', 'cccc000000000000'];

let db: FixtureDatabase;
beforeAll(async () => {
  db = await openFixtureDatabase();
  const occurrences = [
    { time: H0, fingerprint: A },
    { time: H0 + 10_000, fingerprint: A },
    { time: H0 + hour, fingerprint: B },
    { time: H0 + 20_000, fingerprint: C },
  ];
  await insertEvents(db.connection, occurrences.map((o) => ({ ...o, type: 'error' as const, errorCode: 'KS_OPENSSL', operation: 'cli keygen' })));
  // A typo an older keyscope recorded as an error: an outcome, counted by no error query.
  await insertEvents(db.connection, [{ time: H0 + 30_000, fingerprint: 'dddd000000000000', type: 'error', errorCode: 'KS_USAGE', operation: 'cli' }]);
  await updateErrorGroups(db.connection, occurrences.map((o) => recordedError(o)));
  // A resolved 2 h after it was first seen; C resolved after 4 h, then seen again (regressed).
  await resolveErrorGroup(db.connection, A, { version: '0.2.0', now: () => H0 + 2 * hour });
  await resolveErrorGroup(db.connection, C, { version: '0.2.0', now: () => H0 + 20_000 + 4 * hour });
  await updateErrorGroups(db.connection, [recordedError({ time: H0 + 5 * hour, fingerprint: C })]);
});
afterAll(() => db.close());

describe('error queries', () => {
  it('errorFrequency counts errors per bucket and per fingerprint', async () => {
    expect(await errorFrequency(db.connection, {}, { bucket: 'hour' })).toEqual({
      overTime: [
        { start: new Date(H0), errors: 3 },
        { start: new Date(H0 + hour), errors: 1 },
      ],
      byFingerprint: [
        { fingerprint: A, code: 'KS_OPENSSL', errors: 2 },
        { fingerprint: B, code: 'KS_OPENSSL', errors: 1 },
        { fingerprint: C, code: 'KS_OPENSSL', errors: 1 },
      ],
    });
    const later = await errorFrequency(db.connection, { since: new Date(H0 + hour) }, { bucket: 'day' });
    expect(later.byFingerprint.map((f) => f.fingerprint)).toEqual([B]);
  });

  it('resolutionRate counts groups by status and the median time to resolve', async () => {
    expect(await resolutionRate(db.connection)).toEqual({
      groups: 3,
      open: 1,
      resolved: 1,
      regressed: 1,
      rate: 1 / 3,
      medianTimeToResolveMs: 3 * hour, // median of 2 h (A) and 4 h (C)
    });
    expect(await resolutionRate(db.connection, { since: new Date(H0 + hour) })).toEqual({
      groups: 1,
      open: 1,
      resolved: 0,
      regressed: 0,
      rate: 0,
      medianTimeToResolveMs: null,
    });
  });
});
