/** keyscope's own key generator: OpenSSL through the native addon, with reused contexts. */
import { z } from 'zod';

import { type AlgorithmId, parseAlgorithm, requireAlgorithmId } from './algorithms.js';
import { instrumentation } from './instrumentation.js';
import { issuedByKeygen, KeyPair } from './key-pair.js';
import { native } from './native/binding.js';
import { parseOptions } from './validate.js';

export interface GenerateOptions {
  /** Allows RSA moduli from 1024 to 2047 bits. Never below 1024. */
  allowWeak?: boolean;
}

const generateOptionsSchema = z.strictObject({
  allowWeak: z.boolean({ error: 'must be a boolean' }).optional(),
});

function resolve(algorithm: unknown, options: unknown, where: 'generateKeyPairSync' | 'generateKeyPair'): { id: string; allowWeak: boolean } {
  const id = requireAlgorithmId(algorithm, where);
  // The common call has no options: skip the schema on the hot path.
  if (options === undefined) return { id, allowWeak: false };
  const allowWeak = parseOptions(generateOptionsSchema, options, where).allowWeak ?? false;
  // Whether the id is weak costs a second parse, so it is asked only when analytics listens and allowWeak was
  // given. A weak id is a table id ("rsa-1024"), never free text from the caller.
  const hooks = allowWeak ? instrumentation() : null;
  if (hooks && parseAlgorithm(id, { allowWeak }, where).weak) hooks.weakParameters(where, id);
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
    return new KeyPair(id as AlgorithmId, native.generateKeyPairSync(id, allowWeak), issuedByKeygen);
  } catch (error) {
    instrumentation()?.apiFailed('generateKeyPairSync', error, algorithm);
    throw error;
  }
}

/** Generates a key pair on a libuv worker thread: even RSA-4096 never blocks the event loop. */
export async function generateKeyPair(algorithm: AlgorithmId, options?: GenerateOptions): Promise<KeyPair> {
  return generateKeyPairFromArgument(algorithm, options);
}

/**
 * generateKeyPair for an id that is still the caller's text (the CLI's argument): the algorithm table judges it,
 * and a refusal is reported, exactly as for the API's callers.
 */
export async function generateKeyPairFromArgument(algorithm: string, options?: GenerateOptions): Promise<KeyPair> {
  try {
    const { id, allowWeak } = resolve(algorithm, options, 'generateKeyPair');
    return new KeyPair(id as AlgorithmId, await native.generateKeyPair(id, allowWeak), issuedByKeygen);
  } catch (error) {
    instrumentation()?.apiFailed('generateKeyPair', error, algorithm);
    throw error;
  }
}
