/**
 * The export document: a run as self-describing JSON that any machine can read back into the identical
 * RunRecord. JSON has no NaN, no infinities and no negative zero (JSON.stringify writes -0 as 0), and a
 * summary of a one-sample case can hold such values, so those few numbers are written as {"$number": "NaN"}
 * (or "Infinity", "-Infinity", "-0"); every other number, samples included, is a plain JSON number, which
 * round-trips exactly because JavaScript prints the shortest text that parses back to the same double.
 *
 * The same document, with each sample series replaced by its length, is the metadata of a Parquet export.
 */
import { z } from 'zod';

import { type RunRecord } from '../model/index.js';
import { keyscopeVersion } from '../core/index.js';
import { runSchema } from './run-schema.js';

export const documentFormat = 'keyscope-run';
export const documentVersion = 1;

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
  version: z.literal(documentVersion, { error: `must be ${documentVersion} (this keyscope reads version ${documentVersion})` }),
  exportedBy: z.string(),
};

export const inlineDocumentSchema = z.strictObject({
  ...header,
  samples: z.literal('inline'),
  run: runSchema({ number: documentNumber, series: inlineSeries }),
});

export const parquetDocumentSchema = z.strictObject({
  ...header,
  samples: z.literal('parquet-columns'),
  run: runSchema({ number: documentNumber, series: seriesLength }),
});

/** A run from a Parquet export's metadata: complete except that each sample series is only its length. */
export type RunOutline = z.output<typeof parquetDocumentSchema>['run'];
