/** keyscope's own key generator: OpenSSL through the native addon, with reused contexts. */
import { z } from 'zod';

import type { AlgorithmId } from './algorithms.js';
import { KeyPair } from './key-pair.js';
import { native } from './native/binding.js';
import { parseOptions, requireAlgorithmId } from './validate.js';

export interface GenerateOptions {
  /** Allows RSA moduli from 1024 to 2047 bits. Never below 1024. */
  allowWeak?: boolean;
}

const generateOptionsSchema = z.strictObject({
  allowWeak: z.boolean({ error: 'must be a boolean' }).optional(),
});

function resolve(algorithm: unknown, options: unknown, where: string): { id: string; allowWeak: boolean } {
  const id = requireAlgorithmId(algorithm, where);
  // The common call has no options: skip the schema on the hot path.
  if (options === undefined) return { id, allowWeak: false };
  return { id, allowWeak: parseOptions(generateOptionsSchema, options, where).allowWeak ?? false };
}

/** Generates a key pair on the calling thread. */
export function generateKeyPairSync(algorithm: AlgorithmId, options?: GenerateOptions): KeyPair {
  const { id, allowWeak } = resolve(algorithm, options, 'generateKeyPairSync');
  return new KeyPair(id as AlgorithmId, native.generateKeyPairSync(id, allowWeak));
}

/** Generates a key pair on a libuv worker thread: even RSA-4096 never blocks the event loop. */
export async function generateKeyPair(algorithm: AlgorithmId, options?: GenerateOptions): Promise<KeyPair> {
  const { id, allowWeak } = resolve(algorithm, options, 'generateKeyPair');
  return new KeyPair(id as AlgorithmId, await native.generateKeyPair(id, allowWeak));
}
