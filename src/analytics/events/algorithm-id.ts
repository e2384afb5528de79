/**
 * Whether a caller's algorithm argument is a real algorithm id. Analytics records an algorithm only when it is:
 * anything else is the caller's own text, which could be anything (a key pasted in the wrong place included).
 */
import { listAlgorithms } from '../../core/index.js';

let listed: ReadonlySet<string> | null = null;

export function isAlgorithmId(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const rsa = /^rsa-(\d{4,5})$/.exec(value);
  // Multiples of 8 from 1024 (with allowWeak) to 16384, as the native algorithm table accepts.
  if (rsa) return Number(rsa[1]) >= 1024 && Number(rsa[1]) <= 16384 && Number(rsa[1]) % 8 === 0;
  listed ??= new Set(listAlgorithms().map((algorithm) => algorithm.id));
  return listed.has(value);
}
