/** keyscope's own key generator: OpenSSL through the native addon, with reused contexts. */
import { z } from 'zod';

import { type AlgorithmId, requireAlgorithmId } from './algorithms.js';
import { instrumentation } from './instrumentation.js';
import { KeyPair } from './key-pair.js';
import { native } from './native/binding.js';
import { parseOptions } from './validate.js';

export interface GenerateOptions {
  /** Allows RSA moduli from 1024 to 2047 bits. Never below 1024. */
  allowWeak?: boolean;
}

const generateOptionsSchema = z.strictObject({
  allowWeak: z.boolean({ error: 'must be a boolean' }).optional(),
});

/** Whether the id is one that only allowWeak unlocks: RSA from 1024 to 2040 bits (the native table's rule). */
function isWeakRsa(id: string): boolean {
  const bits = /^rsa-(\d{4})$/.exec(id)?.[1];
  return bits !== undefined && Number(bits) >= 1024 && Number(bits) < 2048 && Number(bits) % 8 === 0;
}

function resolve(algorithm: unknown, options: unknown, where: 'generateKeyPairSync' | 'generateKeyPair'): { id: string; allowWeak: boolean } {
  const id = requireAlgorithmId(algorithm, where);
  // The common call has no options: skip the schema on the hot path.
  if (options === undefined) return { id, allowWeak: false };
  const allowWeak = parseOptions(generateOptionsSchema, options, where).allowWeak ?? false;
  // isWeakRsa admits only "rsa-" and four digits: never free text from the caller.
  if (allowWeak && isWeakRsa(id)) instrumentation()?.weakParameters(where, id);
  return { id, allowWeak };
}

/*
 * Every call that reaches the native keygen is recorded there (analytics' native spool, no JS on that path);
 * the catch blocks report the calls that fail before it, or in it, to analytics' hooks. A try block costs
 * nothing until something throws, so with analytics off the hot path is unchanged.
 */

/** Generates a key pair on the calling thread. */
export function generateKeyPairSync(algorithm: AlgorithmId, options?: GenerateOptions): KeyPair {
  try {
    const { id, allowWeak } = resolve(algorithm, options, 'generateKeyPairSync');
    return new KeyPair(id as AlgorithmId, native.generateKeyPairSync(id, allowWeak));
  } catch (error) {
    instrumentation()?.apiFailed('generateKeyPairSync', error, algorithm);
    throw error;
  }
}

/** Generates a key pair on a libuv worker thread: even RSA-4096 never blocks the event loop. */
export async function generateKeyPair(algorithm: AlgorithmId, options?: GenerateOptions): Promise<KeyPair> {
  try {
    const { id, allowWeak } = resolve(algorithm, options, 'generateKeyPair');
    return new KeyPair(id as AlgorithmId, await native.generateKeyPair(id, allowWeak));
  } catch (error) {
    instrumentation()?.apiFailed('generateKeyPair', error, algorithm);
    throw error;
  }
}
