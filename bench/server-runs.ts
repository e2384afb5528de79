/**
 * Runs for the team-server benchmark (bench/server.bench.ts), made from a real run: test/fixtures/quick-run-a.parquet
 * (20 cases, RSA-2048, P-256 and Ed25519 through every implementation, P-256 throughput over 1 and 2 threads).
 * Each completed case's samples are resampled from its real samples with replacement (ns, cycles and prime
 * candidates drawn together, so they stay one key's), scaled by a run-to-run factor, split into blocks whose counts
 * add up to the series' length, and summarized again with the model's summarize. Histograms, precision and
 * counters stay the real ones. Cases that did not complete are kept as they are.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';

import { summarize } from '../src/model/index.js';
import type { CaseBlock, CaseResult, CompletedCase, RunRecord } from '../src/model/types.js';
import { normalQuantile, seededRandom } from '../src/stats/index.js';
import { readRunExport } from '../src/store/index.js';

export const quickRunFixture = fileURLToPath(new URL('../test/fixtures/quick-run-a.parquet', import.meta.url));

export function loadQuickRun(): Promise<RunRecord> {
  return readRunExport(quickRunFixture);
}

/** A standard normal draw from a seeded uniform generator. */
function normal(random: () => number): number {
  return normalQuantile(Math.min(1 - 1e-12, Math.max(1e-12, random())));
}

/** `count` samples in `blockCount` blocks of near-equal size (at least one sample each when there are enough). */
function blocksOf(count: number, blockCount: number, cpu: number | null): CaseBlock[] {
  const blocks = Math.max(1, Math.min(blockCount, count));
  return Array.from({ length: blocks }, (_, i) => ({ samples: Math.floor((count * (i + 1)) / blocks) - Math.floor((count * i) / blocks), cpu }));
}

interface Resampling {
  count: number;
  factor: number;
  blocks: number;
  random: () => number;
}

function resampleCase(c: CompletedCase, { count, factor, blocks, random }: Resampling): CompletedCase {
  const real = c.samples;
  const n = real.ns.length;
  const ns = new Float64Array(count);
  const cycles = real.cycles === null ? null : new Float64Array(count);
  const candidates = real.candidates === null ? null : new Float64Array(count);
  for (let i = 0; i < count; i++) {
    const j = Math.floor(random() * n);
    ns[i] = real.ns[j]! * factor;
    if (cycles !== null) cycles[i] = Math.round(real.cycles![j]! * factor);
    if (candidates !== null) candidates[i] = real.candidates![j]!;
  }
  const nsSummary = summarize(ns);
  return {
    ...c,
    samples: { ns, cycles, candidates },
    // The real run was not pinned (every block's CPU null); blocks as a run of this keyscope measures them.
    blocks: blocksOf(count, blocks, c.blocks[0]?.cpu ?? null),
    summary: {
      ns: nsSummary,
      cycles: cycles === null ? null : summarize(cycles),
      nsPerCandidate: candidates === null ? null : summarize(ns.map((v, i) => v / candidates[i]!)),
    },
    throughput: c.throughput / factor,
  };
}

/** Sample counts proportional to the real ones, adding up to `total` exactly (largest remainders). */
function proportionalCounts(real: readonly number[], total: number): number[] {
  const sum = real.reduce((a, b) => a + b, 0);
  const exact = real.map((n) => (n / sum) * total);
  const counts = exact.map(Math.floor);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (let k = 0, left = total - counts.reduce((a, b) => a + b, 0); k < left; k++) counts[order[k % order.length]![1]]! += 1;
  return counts;
}

export interface RunProvenance {
  id?: string;
  startedAt: string;
  branch: string;
  commit?: string;
  label?: string | null;
}

function withProvenance(template: RunRecord, cases: CaseResult[], p: RunProvenance): RunRecord {
  const duration = Date.parse(template.endedAt) - Date.parse(template.startedAt);
  return {
    ...template,
    id: p.id ?? randomUUID(),
    label: p.label ?? null,
    startedAt: p.startedAt,
    endedAt: new Date(Date.parse(p.startedAt) + duration).toISOString(),
    git: { commit: p.commit ?? randomBytes(20).toString('hex'), branch: p.branch, dirty: false },
    cases,
  };
}

/**
 * A long run: the real run's cases with `total` ns samples in all (each case's share as in the real run, so the
 * fast EC and Ed25519 cases hold most of them and each RSA case a few dozen), in 20 blocks (a full run's default).
 */
export function millionSampleRun(template: RunRecord, seed: number, total = 1_000_000, provenance?: Partial<RunProvenance>): RunRecord {
  const random = seededRandom(seed);
  const completed = template.cases.filter((c): c is CompletedCase => c.state === 'completed');
  const counts = proportionalCounts(completed.map((c) => c.samples.ns.length), total);
  let k = 0;
  const cases = template.cases.map((c) => (c.state === 'completed' ? resampleCase(c, { count: counts[k++]!, factor: 1, blocks: 20, random }) : c));
  return withProvenance(template, cases, { startedAt: new Date(Date.UTC(2026, 11, 1, 12, 0, seed)).toISOString(), branch: 'main', ...provenance });
}

/**
 * Run `index` of a branch's history: a quick run like the real one (each case as many samples as it had, 16
 * blocks, a quick run's default), every time scaled by a run factor (lognormal, 1.5% spread: the VM's run-to-run
 * noise) and a smaller per-case one (0.5%), started `index` hours after the first.
 */
export function historyRun(template: RunRecord, index: number, options: { seed: number; branch?: string; first?: Date }): RunRecord {
  const random = seededRandom(options.seed * 100_003 + index);
  const runFactor = Math.exp(0.015 * normal(random));
  const cases = template.cases.map((c) =>
    c.state === 'completed'
      ? resampleCase(c, { count: c.samples.ns.length, factor: runFactor * Math.exp(0.005 * normal(random)), blocks: 16, random })
      : c,
  );
  const first = options.first ?? new Date(Date.UTC(2026, 0, 1));
  return withProvenance(template, cases, { startedAt: new Date(first.getTime() + index * 3_600_000).toISOString(), branch: options.branch ?? 'main' });
}

/** ns samples (and all stored values: ns, cycles and candidates) of a run. */
export function sampleCounts(run: RunRecord): { samples: number; values: number } {
  let samples = 0;
  let values = 0;
  for (const c of run.cases) {
    if (c.state !== 'completed') continue;
    samples += c.samples.ns.length;
    values += c.samples.ns.length + (c.samples.cycles?.length ?? 0) + (c.samples.candidates?.length ?? 0);
  }
  return { samples, values };
}
