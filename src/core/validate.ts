/**
 * Option validation for the public API: zod schemas, with failures turned into one-line
 * InvalidArgumentErrors that name the function, the option and the value that was given.
 */
import { z } from 'zod';

import { ErrorCodes, InvalidArgumentError } from './errors.js';

/** Shows a bad value in a message without echoing anything long (it could be key material). */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return value.length > 40 ? `a ${value.length}-character string` : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'function') return 'a function';
  return 'an object';
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let current = input;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<PropertyKey, unknown>)[key];
  }
  return current;
}

/** Parses `input` with `schema`, or throws naming `where` (e.g. "measureKeygen") and the first problem. */
export function parseOptions<S extends z.ZodType>(schema: S, input: unknown, where: string): z.output<S> {
  const result = schema.safeParse(input ?? {});
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    // Option names are the caller's text too: a long one is described, not echoed (it could be a pasted key).
    const names = issue.keys.map((key) => describeValue([...issue.path.map(String), key].join('.'))).join(', ');
    throw new InvalidArgumentError(ErrorCodes.invalidOption, `${where}: unknown option ${names}`);
  }
  if (issue.path.length === 0) {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, `${where}: options ${issue.message} (got ${describeValue(input)})`);
  }
  const name = issue.path.map(String).join('.');
  const given = describeValue(valueAt(input, issue.path));
  throw new InvalidArgumentError(ErrorCodes.invalidOption, `${where}: option "${name}" ${issue.message} (got ${given})`);
}

/** Count-like options: whole numbers in a range, with the message zod prints folded into ours. */
export const wholeNumber = (min: number, max: number) =>
  z
    .number({ error: 'must be a number' })
    .int({ error: `must be a whole number from ${min} to ${max}` })
    .min(min, { error: `must be a whole number from ${min} to ${max}` })
    .max(max, { error: `must be a whole number from ${min} to ${max}` });
