/**
 * The export document: a run as self-describing JSON that any machine can read back into the identical
 * RunRecord. JSON has no NaN, no infinities and no negative zero (JSON.stringify writes -0 as 0), and a
 * summary of a one-sample case can hold such values, so those few numbers are written as {"$number": "NaN"}
 * (or "Infinity", "-Infinity", "-0"); every other number, samples included, is a plain JSON number, which
 * round-trips exactly because JavaScript prints the shortest text that parses back to the same double.
 *
 * The same document, with each sample series replaced by its length, is the metadata of a Parquet export.
 *
 * Version 2 added each completed case's `blocks` and the environment's `handicap`, version 3 the run's `testbed`.
 * Documents of the older versions still read, with what they lack filled in as for any run recorded before it
 * (see withVersion1Defaults and withDerivedTestbed).
 */
import { z } from 'zod';

import { type RunRecord } from '../model/index.js';
import { keyscopeVersion } from '../core/index.js';
import { legacyTestbed, singleBlock } from './legacy-runs.js';
import { describeIssue, environmentSchema, runSchema } from './run-schema.js';

export const documentFormat = 'keyscope-run';
/**
 * The version this keyscope writes. Each bump (to 2 for blocks, to 3 for the testbed) changes nothing for reading
 * old files; it is for older keyscopes, which could not read the new fields anyway (their objects are strict, so
 * `blocks` or `testbed` would be an unknown field): with the bump they refuse the document by its version, saying
 * which they read, rather than by a field deep inside it.
 */
export const documentVersion = 3;
/** Every version this keyscope reads, oldest first. */
const readableVersions = [1, 2, documentVersion] as const;

/** "1, 2 or 3" (with `or`) and "1, 2 and 3" (with `and`). */
function listOf(versions: readonly number[], conjunction: string): string {
  return `${versions.slice(0, -1).join(', ')} ${conjunction} ${versions.at(-1)}`;
}

/** Where the sample values are: in the document as arrays, or in the Parquet file's columns. */
export type SampleLayout = 'inline' | 'parquet-columns';

const specialNumbers = ['NaN', 'Infinity', '-Infinity', '-0'] as const;
type SpecialNumber = (typeof specialNumbers)[number];

function encodeNumber(value: number): number | { $number: SpecialNumber } {
  if (Number.isFinite(value)) return Object.is(value, -0) ? { $number: '-0' } : value;
  return { $number: Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity' };
}

function decodeSpecial(token: SpecialNumber): number {
  return token === '-0' ? -0 : Number(token);
}

function encodeSeries(series: Float64Array, layout: SampleLayout): unknown {
  if (layout === 'parquet-columns') return series.length;
  const out: unknown[] = new Array<unknown>(series.length);
  for (let i = 0; i < series.length; i++) out[i] = encodeNumber(series[i]!);
  return out;
}

/** Plain JSON data for `value`: numbers encoded, sample series inline or as lengths. */
function toJsonValue(value: unknown, layout: SampleLayout): unknown {
  if (typeof value === 'number') return encodeNumber(value);
  if (value instanceof Float64Array) return encodeSeries(value, layout);
  if (Array.isArray(value)) return value.map((item) => toJsonValue(item, layout));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, toJsonValue(item, layout)]));
  }
  return value;
}

export function encodeDocument(run: RunRecord, layout: SampleLayout): object {
  return {
    format: documentFormat,
    version: documentVersion,
    exportedBy: `keyscope ${keyscopeVersion}`,
    samples: layout,
    run: toJsonValue(run, layout),
  };
}

const documentNumber = z.union([
  z.number(),
  z.strictObject({ $number: z.enum(specialNumbers) }).transform((token) => decodeSpecial(token.$number)),
]);

/** An inline series: checked and converted in one loop, since zod per element would cost more than the parse. */
const inlineSeries = z.custom<unknown[]>((value) => Array.isArray(value), { error: 'must be an array of numbers' }).transform((values, ctx) => {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === 'number') {
      out[i] = value;
      continue;
    }
    const special = documentNumber.safeParse(value);
    if (!special.success) {
      ctx.addIssue({ code: 'custom', message: 'must be a number', path: [i] });
      return z.NEVER;
    }
    out[i] = special.data;
  }
  return out;
});

const seriesLength = z.int().min(0);

const header = {
  format: z.literal(documentFormat, { error: `must be "${documentFormat}"` }),
  version: z.literal(readableVersions, {
    error: `must be ${listOf(readableVersions, 'or')} (this keyscope reads versions ${listOf(readableVersions, 'and')})`,
  }),
  exportedBy: z.string(),
};

type JsonObject = Record<string, unknown>;

function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * A version 1 document with what version 2 added filled in as for any run recorded before it (legacy-runs.ts):
 * each completed case one block of all its samples on the run's pinned CPU, and no handicap. So one schema
 * reads every version. This runs on the raw JSON, before anything is checked: what it cannot make sense of (a
 * series or pinned CPU that is not one) it leaves alone, for the schema to refuse naming its place.
 */
function withVersion1Defaults(document: unknown): unknown {
  if (!isJsonObject(document) || document.version !== 1 || !isJsonObject(document.run)) return document;
  const { environment, cases } = document.run;
  const pinnedCpu = isJsonObject(environment) ? environment.pinnedCpu : undefined;
  const withBlocks = (result: unknown): unknown => {
    if (!isJsonObject(result) || result.state !== 'completed' || 'blocks' in result || !isJsonObject(result.samples)) return result;
    // Inline, a series is an array of its values; in Parquet metadata, its length.
    const ns = result.samples.ns;
    const samples = Array.isArray(ns) ? ns.length : typeof ns === 'number' ? ns : undefined;
    if (samples === undefined || !(typeof pinnedCpu === 'number' || pinnedCpu === null)) return result;
    return { ...result, blocks: singleBlock(samples, pinnedCpu) };
  };
  return {
    ...document,
    run: {
      ...document.run,
      environment: isJsonObject(environment) && !('handicap' in environment) ? { ...environment, handicap: null } : environment,
      cases: Array.isArray(cases) ? cases.map(withBlocks) : cases,
    },
  };
}

const documentEnvironment = environmentSchema(documentNumber);

/**
 * A version 1 or 2 document with the testbed version 3 added: the one derived from its environment, as for any
 * run recorded before testbeds (legacy-runs.ts). It is derived from the environment as the schema decodes it,
 * since a number may be encoded ({"$number": "-0"}) in the document. An environment that does not decode leaves
 * the testbed out, for the schema to refuse the environment (checked before the testbed) naming its place.
 */
function withDerivedTestbed(document: unknown): unknown {
  if (!isJsonObject(document) || (document.version !== 1 && document.version !== 2)) return document;
  if (!isJsonObject(document.run) || 'testbed' in document.run) return document;
  const environment = documentEnvironment.safeParse(document.run.environment);
  if (!environment.success) return document;
  return { ...document, run: { ...document.run, testbed: legacyTestbed(environment.data) } };
}

/** A document of any readable version as a current one: withVersion1Defaults first, since its handicap is part of the testbed. */
function withOlderVersionDefaults(document: unknown): unknown {
  return withDerivedTestbed(withVersion1Defaults(document));
}

export const inlineDocumentSchema = z.preprocess(
  withOlderVersionDefaults,
  z.strictObject({
    ...header,
    samples: z.literal('inline'),
    run: runSchema({ number: documentNumber, series: inlineSeries }),
  }),
);

export const parquetDocumentSchema = z.preprocess(
  withOlderVersionDefaults,
  z.strictObject({
    ...header,
    samples: z.literal('parquet-columns'),
    run: runSchema({ number: documentNumber, series: seriesLength }),
  }),
);

/** A run from a Parquet export's metadata: complete except that each sample series is only its length. */
export type RunOutline = z.output<typeof parquetDocumentSchema>['run'];

/** The run in a parsed inline document (as `runs export` writes it and the team server receives it), or why it is not one. */
export function decodeInlineDocument(document: unknown): RunRecord | string {
  const parsed = inlineDocumentSchema.safeParse(document);
  if (!parsed.success) return describeIssue(parsed.error, 'document');
  return parsed.data.run as RunRecord;
}

/** Any JSON-bound value with its NaN, infinities and -0 written as {"$number": ...}, as a document writes them. */
export function encodeSpecialNumbers(value: unknown): unknown {
  return toJsonValue(value, 'inline');
}

/** A JSON.parse reviver that undoes encodeSpecialNumbers. */
export function reviveSpecialNumbers(_key: string, value: unknown): unknown {
  if (isJsonObject(value) && Object.keys(value).length === 1 && typeof value.$number === 'string' && (specialNumbers as readonly string[]).includes(value.$number)) {
    return decodeSpecial(value.$number as SpecialNumber);
  }
  return value;
}
