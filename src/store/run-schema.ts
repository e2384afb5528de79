/**
 * The shape of a RunRecord as zod schemas, written once and used three ways: to check a run before saveRun
 * writes it, to check a run rebuilt from the database (or, for an overview, its own fields), and to read an
 * export file (whose numbers and sample series are encoded, see run-document.ts). Objects are strict: a field
 * the store would not keep must not pass, or a saved run would not load back identical.
 */
import { z } from 'zod';

import { testbedPattern } from '../model/index.js';

const text = z.string();
const nullableText = z.string().nullable();

/** Which zod schema stands for a number and for a sample series in a given encoding. */
export interface Encoding<N extends z.ZodType<number>, S extends z.ZodType> {
  number: N;
  series: S;
}

const uuidLike = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const isoTime = z.string().refine((value) => !Number.isNaN(Date.parse(value)), { error: 'must be an ISO 8601 date and time' });

/** How many values a sample series holds, in either encoding: a Parquet outline gives a series as its length. */
function lengthOf(series: unknown): number {
  return typeof series === 'number' ? series : (series as ArrayLike<unknown>).length;
}

/** Where a run was measured; `number` is the encoding's number (see Encoding). */
export function environmentSchema<N extends z.ZodType<number>>(number: N) {
  const wholeNumber = z.int();
  return z.strictObject({
    cpuModel: text,
    cpuFlags: z.array(text),
    cores: wholeNumber.min(0),
    governor: nullableText,
    boost: z.boolean().nullable(),
    kernel: text,
    platform: text,
    arch: text,
    node: text,
    openssl: text,
    keyscope: text,
    addonBuild: z.enum(['release', 'debug', 'sanitizer', 'prebuild']),
    countersAvailable: z.array(text),
    cycleCounter: nullableText,
    pinnedCpu: wholeNumber.min(0).nullable(),
    // `number`, not z.number(): in an export document a handicap of -0 is encoded as {"$number": "-0"}.
    handicap: number.refine((value) => Number.isFinite(value) && value >= 0, { error: 'must be a finite fraction of 0 or more' }).nullable(),
  });
}

const testbedRule = 'must be a testbed name: a letter or digit, then up to 63 letters, digits, ".", "_" or "-"';

export function runSchema<N extends z.ZodType<number>, S extends z.ZodType>({ number, series }: Encoding<N, S>) {
  const summary = z.strictObject({
    count: number,
    min: number,
    max: number,
    mean: number,
    stddev: number,
    median: number,
    p90: number,
    p99: number,
    p999: number,
    mad: number,
    outliers: z.strictObject({ low: number, high: number }),
    medianInterval: z.strictObject({ confidence: number, low: number, high: number }),
  });
  const counterCommon = {
    group: z.enum(['hardware', 'software', 'rusage', 'memory']),
    unit: z.enum(['count', 'ns', 'bytes']),
  };
  const counterValue = z.discriminatedUnion('available', [
    z.strictObject({ ...counterCommon, available: z.literal(true), value: number, scaled: z.boolean() }),
    z.strictObject({ ...counterCommon, available: z.literal(false), reason: text }),
  ]);
  const caseCommon = {
    key: z.strictObject({ suite: text, case: text, implementation: text, algorithm: text }),
    parameters: z.record(z.string(), z.union([z.string(), z.boolean(), number])),
  };
  const wholeNumber = z.int();
  // A block takes at least one sample: an empty block would be a stretch of sampling that measured nothing.
  const block = z.strictObject({ samples: wholeNumber.min(1), cpu: wholeNumber.min(0).nullable() });
  const completed = z.strictObject({
    state: z.literal('completed'),
    ...caseCommon,
    samples: z.strictObject({ ns: series, cycles: series.nullable(), candidates: series.nullable() }),
    blocks: z.array(block).min(1, { error: 'must hold at least one block' }),
    summary: z.strictObject({ ns: summary, cycles: summary.nullable(), nsPerCandidate: summary.nullable() }),
    histograms: z.strictObject({ ns: text, cycles: nullableText }),
    precision: z.strictObject({ target: number, reached: number, stoppedBy: z.enum(['precision', 'budget', 'iterations']) }),
    throughput: number,
    counters: z.record(z.string(), counterValue),
    timer: z.strictObject({ ns: number, cycles: number, samples: number }),
  }).superRefine((result, ctx) => {
    // The blocks partition the samples: a comparison that splits a case by block relies on it.
    const inBlocks = result.blocks.reduce((sum, b) => sum + b.samples, 0);
    const samples = lengthOf((result.samples as { ns: unknown }).ns); // typed by the generic `series`
    if (inBlocks !== samples) {
      ctx.addIssue({ code: 'custom', path: ['blocks'], message: `must add up to the case's ${samples} ns samples (they add up to ${inBlocks})` });
    }
  });
  const errored = z.strictObject({ state: z.literal('errored'), ...caseCommon, error: z.strictObject({ code: text, message: text }) });
  const skipped = z.strictObject({ state: z.literal('skipped'), ...caseCommon, reason: text });
  return z.strictObject({
    id: z.string().regex(uuidLike, { error: 'must be a UUID' }),
    startedAt: isoTime,
    endedAt: isoTime,
    label: nullableText,
    status: z.enum(['complete', 'aborted']),
    git: z.strictObject({ commit: text, branch: nullableText, dirty: z.boolean() }).nullable(),
    environment: environmentSchema(number),
    // After the environment: an older export document's testbed is derived from its environment, so where that
    // is invalid the testbed is missing too, and the environment's problem is the one to report (run-document.ts).
    testbed: z.string().regex(testbedPattern, { error: testbedRule }),
    cases: z.array(z.discriminatedUnion('state', [completed, errored, skipped])),
  });
}

/** A JavaScript number of any value, NaN and the infinities included (z.number() refuses those). */
export const anyNumber = z.custom<number>((value) => typeof value === 'number', { error: 'must be a number' });

/** A run as the runner hands it to saveRun: sample series are Float64Arrays. */
export const runRecordSchema = runSchema({ number: anyNumber, series: z.instanceof(Float64Array, { error: 'must be a Float64Array' }) });

/**
 * A run's own fields, without its cases: what a run overview (run-overviews.ts) checks. Its cases need no schema
 * there: every value of theirs is typed as it is read (row-fields.ts), and what the case schemas check beyond
 * types (samples, blocks) is not part of an overview.
 */
export const runHeadSchema = runRecordSchema.omit({ cases: true });

/** The first problem zod found, as "where: what" for a one-line message. */
export function describeIssue(error: z.ZodError, root: string): string {
  const issue = error.issues[0];
  if (!issue) return `${root}: invalid`;
  const where = [root, ...issue.path.map(String)].join('.');
  return `${where}: ${issue.message}`;
}
