/**
 * Interleaved sessions with real worker processes: two builds (this checkout's dist/, twice) measuring a small
 * suite in pairs. The workers run from dist/, which `npm test` builds before vitest.
 */
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { describe, expect, it } from 'vitest';

import { runInterleaved, thisBuild } from '../../src/bench/index.js';
import { compareRuns, referenceOf } from '../../src/compare/index.js';
import { seededKeyPairs } from '../../src/compare/statistics/index.js';
import { median } from '../../src/stats/index.js';
import type { CompletedCase } from '../../src/model/index.js';

const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
mkdirSync(artifacts, { recursive: true });
const suites = mkdtempSync(join(artifacts, 'interleave-'));
// KEYSCOPE_TEST_EXTRA_CASE gives one build's worker a case the other lacks, KEYSCOPE_TEST_SKIP makes it skip the JS
// case, KEYSCOPE_TEST_ONLY_EXTRA leaves it nothing but the extra case; KEYSCOPE_TEST_FIRST_CLAIM gives the extra
// case to the first process that loads the suite only.
writeFileSync(
  join(suites, 'pair.suite.mjs'),
  `import { openSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { defineSuite } from 'keyscope';
let first = false;
if (process.env.KEYSCOPE_TEST_FIRST_CLAIM) {
  try { openSync(process.env.KEYSCOPE_TEST_FIRST_CLAIM, 'wx'); first = true; } catch {}
}
export default defineSuite({
  name: 'pair',
  budget: { maxTimeMs: 120 },
  cases: () => [
    ...(process.env.KEYSCOPE_TEST_ONLY_EXTRA ? [] : [
      { kind: 'native', name: 'keygen', algorithm: 'ed25519' },
      { kind: 'js', name: 'keygen', implementation: 'node:crypto', algorithm: 'ed25519', fn: () => generateKeyPairSync('ed25519'), skip: process.env.KEYSCOPE_TEST_SKIP || undefined },
    ]),
    ...(process.env.KEYSCOPE_TEST_EXTRA_CASE || process.env.KEYSCOPE_TEST_ONLY_EXTRA || first ? [{ kind: 'native', name: 'extra', algorithm: 'ec-p256' }] : []),
  ],
});
`,
);

// A process that runs a case slower for its whole life: the first worker process to load this suite (it claims a
// file) spins in its JS case for four times as long again, five times as slow in all, a gap that a JS block's
// scatter under the sanitizer (a block 70% slow has been seen) cannot close. And seeded RSA keys, laid out by block.
writeFileSync(
  join(suites, 'forks.suite.mjs'),
  `import { openSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { defineSuite } from 'keyscope';
let slow = false;
if (process.env.KEYSCOPE_TEST_SLOW_CLAIM) {
  try { openSync(process.env.KEYSCOPE_TEST_SLOW_CLAIM, 'wx'); slow = true; } catch {}
}
const spin = (ms) => { const end = performance.now() + ms; while (performance.now() < end); };
export default defineSuite({
  name: 'forks',
  budget: { maxTimeMs: 200 },
  cases: () => [
    { kind: 'js', name: 'keygen', implementation: 'node:crypto', algorithm: 'ed25519', fn: () => { const t = performance.now(); generateKeyPairSync('ed25519'); if (slow) spin(4 * (performance.now() - t)); } },
    { kind: 'native', name: 'keygen-seeded', algorithm: 'rsa-1024', allowWeak: true, seed: 5 },
  ],
});
`,
);

/** Each block's median time. */
function blockMedians(c: CompletedCase): number[] {
  let offset = 0;
  return c.blocks.map((block) => median(c.samples.ns.subarray(offset, (offset += block.samples))));
}

const options = { patterns: ['pair'], dir: suites, blocks: 4, cpus: [0], seed: 11 };
const env = (extra: NodeJS.ProcessEnv = {}) => ({ ...process.env, KEYSCOPE_BENCH_HANDICAP: '', KEYSCOPE_TEST_EXTRA_CASE: '', KEYSCOPE_TEST_SKIP: '', KEYSCOPE_TEST_ONLY_EXTRA: '', KEYSCOPE_TEST_FIRST_CLAIM: '', ...extra });

describe('runInterleaved', () => {
  it('measures each case of both builds in pairs of blocks on the same CPU, the handicap on one side only', async () => {
    const events: string[] = [];
    const session = await runInterleaved({ dir: thisBuild, env: env() }, { dir: thisBuild, env: env({ KEYSCOPE_BENCH_HANDICAP: '100%' }) }, { ...options, onEvent: (e) => events.push(e.type) });
    expect(session.seed).toBe(11);
    expect(session.forks).toBe(4);
    expect(session.oneSided).toEqual([]);
    for (const run of [session.baseline, session.candidate]) {
      expect(run.status).toBe('complete');
      expect(run.cases.map((c) => `${c.key.implementation} ${c.state}`)).toEqual(['keyscope-native completed', 'node:crypto completed']);
      for (const c of run.cases as CompletedCase[]) expect(c.blocks.map((b) => b.cpu)).toEqual([0, 0, 0, 0]);
    }
    expect(session.baseline.environment.handicap).toBeNull();
    expect(session.candidate.environment.handicap).toBe(1);
    expect(session.baseline.testbed).not.toBe(session.candidate.testbed);
    expect(events.filter((t) => t === 'case-start')).toHaveLength(4 * 2 * 2);
    expect(events.at(-1)).toBe('run-end');

    const side = (run: typeof session.baseline) => ({ run, reference: referenceOf({ run, source: 'session' }) });
    const comparison = compareRuns(side(session.baseline), side(session.candidate), { threshold: 0.02, confidence: 0.9 }, { seed: session.seed, forks: session.forks });
    expect(comparison.against).toEqual({ kind: 'interleaved', seed: 11, forks: 4 });
    const native = comparison.cases.find((c) => c.key.implementation === 'keyscope-native')!;
    expect(native.state === 'compared' && native.time.method).toBe('interleaved');
    // Twice as slow inside the timed region (a 35% scatter of pairs has been seen under the sanitizer on a busy machine).
    expect(native.state === 'compared' && native.time.ratio.estimate).toBeGreaterThan(1.3);
  }, 60_000);

  it('measures each build in several processes that take the rounds in turn, seeded keys laid out by block across them', async () => {
    const claim = join(mkdtempSync(join(artifacts, 'slow-fork-')), 'claimed');
    const session = await runInterleaved({ dir: thisBuild, env: env() }, { dir: thisBuild, env: env({ KEYSCOPE_TEST_SLOW_CLAIM: claim }) }, { ...options, patterns: ['forks'], forks: 2 });
    expect(session.forks).toBe(2);
    const js = (run: typeof session.baseline) => run.cases.find((c) => c.key.implementation === 'node:crypto') as CompletedCase;
    // The candidate's first process (rounds 0 and 2) is five times as slow as its second (rounds 1 and 3).
    const medians = blockMedians(js(session.candidate));
    expect(medians).toHaveLength(4);
    expect(Math.min(medians[0]!, medians[2]!)).toBeGreaterThan(2 * Math.max(medians[1]!, medians[3]!));
    // Block p of both builds drew the same seeded keys, whichever process measured it.
    const rsa = (run: typeof session.baseline) => run.cases.find((c) => c.key.algorithm === 'rsa-1024') as CompletedCase;
    const a = rsa(session.baseline);
    const b = rsa(session.candidate);
    expect(a.parameters).toMatchObject({ seed: 5, seedBlockStride: 2 ** 32 });
    for (const { baselineOffset, candidateOffset, keys } of seededKeyPairs(a.blocks, b.blocks)) {
      expect(keys).toBeGreaterThan(0);
      expect(Array.from(b.samples.candidates!.subarray(candidateOffset, candidateOffset + keys))).toEqual(Array.from(a.samples.candidates!.subarray(baselineOffset, baselineOffset + keys)));
    }
    const side = (run: typeof session.baseline) => ({ run, reference: referenceOf({ run, source: 'session' }) });
    const comparison = compareRuns(side(session.baseline), side(session.candidate), { threshold: 0.02, confidence: 0.9 }, { seed: session.seed, forks: session.forks });
    const seeded = comparison.cases.find((c) => c.key.algorithm === 'rsa-1024')!;
    expect(seeded.state === 'compared' && seeded.time.method).toBe('seeded-blocks');
  }, 60_000);

  it('measures only the cases both builds measure, and says which build has (or skips) the others', async () => {
    const session = await runInterleaved({ dir: thisBuild, env: env({ KEYSCOPE_TEST_EXTRA_CASE: '1' }) }, { dir: thisBuild, env: env({ KEYSCOPE_TEST_SKIP: 'not here' }) }, { ...options, blocks: 3 });
    expect(session.oneSided).toEqual([
      { key: { suite: 'pair', case: 'keygen', implementation: 'node:crypto', algorithm: 'ed25519' }, onlyIn: 'baseline', why: 'skipped' },
      { key: { suite: 'pair', case: 'extra', implementation: 'keyscope-native', algorithm: 'ec-p256' }, onlyIn: 'baseline', why: 'absent' },
    ]);
    for (const run of [session.baseline, session.candidate]) {
      expect(run.cases.map((c) => `${c.key.implementation} ${c.state} ${c.state === 'completed' ? c.blocks.length : ''}`)).toEqual(['keyscope-native completed 3']);
    }
  }, 60_000);

  it('refuses builds with no case in common, and fewer than 3 pairs a case', async () => {
    await expect(runInterleaved({ dir: thisBuild, env: env({ KEYSCOPE_TEST_ONLY_EXTRA: '1' }) }, { dir: thisBuild, env: env() }, options)).rejects.toMatchObject({
      code: 'KS_INTERLEAVED_BUILD',
      message: 'the two builds have no case in common to measure (1 cases in the baseline, 2 in the candidate)',
    });
    await expect(runInterleaved({ dir: thisBuild }, { dir: thisBuild }, { ...options, blocks: 2 })).rejects.toMatchObject({ code: 'KS_INVALID_OPTION' });
    await expect(runInterleaved({ dir: thisBuild }, { dir: thisBuild }, { ...options, forks: 0 })).rejects.toMatchObject({ code: 'KS_INVALID_OPTION' });
  }, 60_000);

  it('refuses a build whose processes plan different cases', async () => {
    const claim = join(mkdtempSync(join(artifacts, 'first-plan-')), 'claimed');
    await expect(runInterleaved({ dir: thisBuild, env: env({ KEYSCOPE_TEST_FIRST_CLAIM: claim }) }, { dir: thisBuild, env: env() }, { ...options, forks: 2 })).rejects.toMatchObject({
      code: 'KS_INTERLEAVED_WORKER',
      message: "the baseline build's processes planned different cases: its suites do not plan the same cases from one process to the next",
    });
  }, 60_000);

  it('stops between blocks when aborted, keeping the pairs measured so far', async () => {
    const controller = new AbortController();
    let measured = 0;
    const session = await runInterleaved({ dir: thisBuild, env: env() }, { dir: thisBuild, env: env() }, {
      ...options,
      signal: controller.signal,
      onEvent: (e) => {
        if (e.type === 'block-end' && ++measured === 4) controller.abort();
      },
    });
    expect(session.baseline.status).toBe('aborted');
    expect(session.candidate.status).toBe('aborted');
    expect((session.baseline.cases[0] as CompletedCase).blocks).toHaveLength(1);
    expect((session.candidate.cases[0] as CompletedCase).blocks).toHaveLength(1);
  }, 60_000);
});

describe('builds that cannot take part', () => {
  const fakeBuild = (worker: string | null) => {
    const dir = mkdtempSync(join(artifacts, 'fake-build-'));
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'keyscope', type: 'module' }));
    if (worker !== null) {
      mkdirSync(join(dir, 'dist', 'bench'), { recursive: true });
      writeFileSync(join(dir, 'dist', 'bench', 'interleave-worker.js'), worker);
      chmodSync(join(dir, 'dist', 'bench', 'interleave-worker.js'), 0o644);
    }
    return dir;
  };

  it('refuses a directory that is not a keyscope build, or a build without a worker, before measuring', async () => {
    await expect(runInterleaved({ dir: suites }, { dir: thisBuild }, options)).rejects.toMatchObject({ code: 'KS_INTERLEAVED_BUILD', message: expect.stringContaining('is not a keyscope build') });
    await expect(runInterleaved({ dir: fakeBuild(null) }, { dir: thisBuild }, options)).rejects.toMatchObject({ code: 'KS_INTERLEAVED_BUILD', message: expect.stringContaining('predates interleaved sessions') });
  });

  it('refuses a worker that speaks another protocol', async () => {
    const other = fakeBuild(`process.on('message', () => process.send({ type: 'opened', protocol: 99, cases: [], blocks: 1 })); process.on('disconnect', () => process.exit(0));`);
    await expect(runInterleaved({ dir: other }, { dir: thisBuild }, options)).rejects.toMatchObject({ code: 'KS_INTERLEAVED_BUILD', message: expect.stringContaining('speaks interleave protocol 99') });
  });

  it('stops a worker that says nothing, and fails the session', async () => {
    const silent = fakeBuild(`process.on('message', () => {}); process.on('disconnect', () => process.exit(0));`);
    await expect(runInterleaved({ dir: silent }, { dir: thisBuild }, { ...options, silenceMs: 500 })).rejects.toMatchObject({
      code: 'KS_INTERLEAVED_WORKER',
      message: expect.stringMatching(/^the baseline build's worker \(.*\) said nothing for 1 s after "open"$/),
    });
  });

  it('reports a worker that dies as a failure of that build', async () => {
    const crashing = fakeBuild(`process.on('message', () => process.exit(3));`);
    await expect(runInterleaved({ dir: thisBuild, env: env() }, { dir: crashing }, options)).rejects.toMatchObject({
      code: 'KS_INTERLEAVED_WORKER',
      message: expect.stringMatching(/^the candidate build's worker \(.*\) exited with status 3$/),
    });
  });
});
