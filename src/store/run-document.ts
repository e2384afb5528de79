/**
 * The export document: a run as self-describing JSON that any machine can read back into the identical
 * RunRecord. JSON has no NaN, no infinities and no negative zero (JSON.stringify writes -0 as 0), and a
 * summary of a one-sample case can hold such values, so those few numbers are written as {"$number": "NaN"}
 * (or "Infinity", "-Infinity", "-0"); every other number, samples included, is a plain JSON number, which
 * round-trips exactly because JavaScript prints the shortest text that parses back to the same double.
 *
 * The same document, with each sample series replaced by its length, is the metadata of a Parquet export.
 *
 * Version 2 added each completed case's `blocks` and the environment's `handicap`. Version 1 documents, written
 * before them, still read (see withVersion1Defaults).
 */
import { z } from 'zod';

import { type RunRecord } from '../model/index.js';
import { keyscopeVersion } from '../core/index.js';
import { singleBlock } from './legacy-runs.js';
import { runSchema } from './run-schema.js';

export const documentFormat = 'keyscope-run';
/**
 * The version this keyscope writes. The bump to 2 changes nothing for reading old files; it is for older
 * keyscopes, which read only version 1 and could not read a version 2 run anyway (their objects are strict, so
 * `blocks` would be an unknown field): with the bump they refuse it by its version, saying which they read,
 * rather than by a field deep inside it.
 */
export const documentVersion = 2;
/** Every version this keyscope reads, oldest first. */
const readableVersions = [1, documentVersion] as const;

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
    error: `must be ${readableVersions.join(' or ')} (this keyscope reads versions ${readableVersions.join(' and ')})`,
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
 * reads both versions. This runs on the raw JSON, before anything is checked: what it cannot make sense of (a
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

export const inlineDocumentSchema = z.preprocess(
  withVersion1Defaults,
  z.strictObject({
    ...header,
    samples: z.literal('inline'),
    run: runSchema({ number: documentNumber, series: inlineSeries }),
  }),
);

export const parquetDocumentSchema = z.preprocess(
  withVersion1Defaults,
  z.strictObject({
    ...header,
    samples: z.literal('parquet-columns'),
    run: runSchema({ number: documentNumber, series: seriesLength }),
  }),
);

/** A run from a Parquet export's metadata: complete except that each sample series is only its length. */
export type RunOutline = z.output<typeof parquetDocumentSchema>['run'];
