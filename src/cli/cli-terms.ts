/**
 * Library errors name the API's option (`allowWeak: true`, `force: true`), which is right for a library caller; the
 * CLI says the flag that does the same, so that the hint in a one-line error can be followed as written.
 */
import { ErrorCodes, KeyscopeError } from '../core/index.js';

/** code → [the API's wording in the library's message, the CLI's]. */
const apiToCli: ReadonlyMap<string, readonly [RegExp, string]> = new Map([
  [ErrorCodes.weakKeySize, [/pass allowWeak: true\b/, 'pass --allow-weak']],
  [ErrorCodes.fileExists, [/pass force: true\b/, 'pass --force']],
]);

/** Rethrows `error` with its hint in CLI terms (same class, code and cause); for use as `.catch(inCliTerms)`. */
export function inCliTerms(error: unknown): never {
  if (error instanceof KeyscopeError) {
    const wording = apiToCli.get(error.code);
    if (wording) error.message = error.message.replace(wording[0], wording[1]);
  }
  throw error;
}
