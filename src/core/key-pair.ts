/**
 * A generated key pair. The key lives in OpenSSL memory behind a native handle and is serialised only when an
 * export is asked for; release() frees it at once, otherwise it is freed when the object is collected.
 */
import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';

import type { AlgorithmId } from './algorithms.js';
import { ErrorCodes, InvalidArgumentError } from './errors.js';
import { instrumentation } from './instrumentation.js';
import type { KeyPairHandle } from './native/types.js';
import { parseOptions } from './validate.js';

export type KeyFormat = 'pem' | 'der' | 'jwk';

export interface PrivateKeyExportOptions {
  /** pem (PKCS#8, the default), der (PKCS#8) or jwk. */
  format?: KeyFormat;
  /** Encrypts the PKCS#8 with PBES2: scrypt (N=2^14, r=8, p=1) and AES-256-CBC. Not with jwk. */
  passphrase?: string | Buffer;
}

export interface PublicKeyExportOptions {
  /** pem (SPKI, the default), der (SPKI) or jwk. */
  format?: KeyFormat;
}

type Exported<F> = F extends 'der' ? Buffer : F extends 'jwk' ? JsonWebKey : string;

const formatSchema = z.enum(['pem', 'der', 'jwk'], { error: 'must be "pem", "der" or "jwk"' });
const privateOptionsSchema = z.strictObject({
  format: formatSchema.optional(),
  passphrase: z
    .union([z.string(), z.instanceof(Buffer)], { error: 'must be a string or a Buffer' })
    .refine((value) => value.length > 0, { error: 'must not be empty' })
    .optional(),
});
const publicOptionsSchema = z.strictObject({ format: formatSchema.optional() });

export class KeyPair {
  readonly algorithm: AlgorithmId;
  readonly #handle: KeyPairHandle;

  /** @internal Key pairs come from generateKeyPair() and generateKeyPairSync(). */
  constructor(algorithm: AlgorithmId, handle: KeyPairHandle) {
    this.algorithm = algorithm;
    this.#handle = handle;
  }

  /** True once release() has freed the native key. */
  get released(): boolean {
    return this.#handle.released;
  }

  exportPrivateKey<F extends KeyFormat = 'pem'>(options?: PrivateKeyExportOptions & { format?: F }): Exported<F> {
    try {
      const { format = 'pem', passphrase } = parseOptions(privateOptionsSchema, options, 'exportPrivateKey');
      const exported = this.#exportPrivate(format, passphrase) as Exported<F>;
      instrumentation()?.keyExported('exportPrivateKey', this.algorithm, format, passphrase !== undefined);
      return exported;
    } catch (error) {
      instrumentation()?.apiFailed('exportPrivateKey', error, this.algorithm);
      throw error;
    }
  }

  exportPublicKey<F extends KeyFormat = 'pem'>(options?: PublicKeyExportOptions & { format?: F }): Exported<F> {
    try {
      const { format = 'pem' } = parseOptions(publicOptionsSchema, options, 'exportPublicKey');
      const exported = this.#exportPublic(format) as Exported<F>;
      instrumentation()?.keyExported('exportPublicKey', this.algorithm, format, false);
      return exported;
    } catch (error) {
      instrumentation()?.apiFailed('exportPublicKey', error, this.algorithm);
      throw error;
    }
  }

  /** The same key as node:crypto KeyObjects, for signing, deriving and everything else node:crypto does. */
  toKeyObject(): { publicKey: KeyObject; privateKey: KeyObject } {
    const der = this.#handle.exportPrivate('der');
    try {
      const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      return { privateKey, publicKey: createPublicKey(privateKey) };
    } finally {
      der.fill(0);
    }
  }

  /** Frees the native key now. Exports after this throw KS_KEY_RELEASED. */
  release(): void {
    this.#handle.release();
  }

  #exportPrivate(format: KeyFormat, passphrase: string | Buffer | undefined): string | Buffer | JsonWebKey {
    if (format === 'jwk') {
      if (passphrase !== undefined) {
        throw new InvalidArgumentError(ErrorCodes.invalidOption, 'exportPrivateKey: a JWK cannot be passphrase-encrypted; use pem or der');
      }
      return this.toKeyObject().privateKey.export({ format: 'jwk' });
    }
    const secret = passphrase === undefined ? undefined : Buffer.from(passphrase);
    try {
      const bytes = this.#handle.exportPrivate(format, secret);
      return format === 'pem' ? bytes.toString('latin1') : bytes;
    } finally {
      secret?.fill(0);
    }
  }

  #exportPublic(format: KeyFormat): string | Buffer | JsonWebKey {
    if (format === 'jwk') return this.#spki().export({ format: 'jwk' });
    const bytes = this.#handle.exportPublic(format);
    return format === 'pem' ? bytes.toString('latin1') : bytes;
  }

  #spki(): KeyObject {
    return createPublicKey({ key: this.#handle.exportPublic('der'), format: 'der', type: 'spki' });
  }
}
