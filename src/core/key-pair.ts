/**
 * A generated key pair. The key lives in OpenSSL memory behind a native handle and is serialised only when an
 * export is asked for; release() frees it at once, otherwise it is freed when the object is collected.
 */
import { createPrivateKey, createPublicKey, type JsonWebKey, type KeyObject } from 'node:crypto';
import { z } from 'zod';

import type { AlgorithmId } from './algorithms.js';
import { ErrorCodes, InvalidArgumentError } from './errors.js';
import { instrumentation } from './instrumentation.js';
import { native } from './native/binding.js';
import type { KeyHandle } from './native/types.js';
import { requireOpenSSHAlgorithm } from './openssh/openssh-algorithms.js';
import { defaultOpenSSHComment, openSSHCommentProblem } from './openssh/openssh-comment.js';
import { encodeOpenSSHPrivateKey, encodeOpenSSHPublicKey } from './openssh/openssh-encode.js';
import { parseOptions } from './validate.js';

export type KeyFormat = 'pem' | 'der' | 'jwk' | 'openssh';

export interface PrivateKeyExportOptions {
  /** pem (PKCS#8, the default), der (PKCS#8), jwk, or openssh (the "openssh-key-v1" file ssh-keygen writes). */
  format?: KeyFormat;
  /**
   * pem and der: PKCS#8 PBES2 with scrypt (N=2^14, r=8, p=1) and AES-256-CBC. openssh: bcrypt-pbkdf (16 rounds)
   * and aes256-ctr, as ssh-keygen encrypts. Not with jwk.
   */
  passphrase?: string | Buffer;
  /** openssh only: the key's comment (printable ASCII, at most 255 characters). Default "keyscope@<algorithm>". */
  comment?: string;
}

export interface PublicKeyExportOptions {
  /** pem (SPKI, the default), der (SPKI), jwk, or openssh (an authorized_keys line). */
  format?: KeyFormat;
  /** openssh only: the comment at the end of the line. Default "keyscope@<algorithm>". */
  comment?: string;
}

type Exported<F> = F extends 'der' ? Buffer : F extends 'jwk' ? JsonWebKey : string;

const formatSchema = z.enum(['pem', 'der', 'jwk', 'openssh'], { error: 'must be "pem", "der", "jwk" or "openssh"' });
const commentSchema = z.string({ error: 'must be a string' }).superRefine((comment, context) => {
  const problem = openSSHCommentProblem(comment);
  if (problem !== null) context.addIssue({ code: 'custom', message: problem });
});
const privateOptionsSchema = z.strictObject({
  format: formatSchema.optional(),
  passphrase: z
    .union([z.string(), z.instanceof(Buffer)], { error: 'must be a string or a Buffer' })
    .refine((value) => value.length > 0, { error: 'must not be empty' })
    .optional(),
  comment: commentSchema.optional(),
});
const publicOptionsSchema = z.strictObject({ format: formatSchema.optional(), comment: commentSchema.optional() });

/** The comment an openssh export uses; refuses one given with another format, where it would silently vanish. */
function commentFor(format: KeyFormat, comment: string | undefined, algorithm: string, where: string): string {
  if (format !== 'openssh') {
    if (comment !== undefined) throw new InvalidArgumentError(ErrorCodes.invalidOption, `${where}: option "comment" is only for format "openssh"`);
    return '';
  }
  return comment ?? defaultOpenSSHComment(algorithm);
}

/**
 * Frees the native key of every KeyPair that is collected without release(). Its callbacks run after the
 * collection, between tasks, as Node-API finalizers would; it costs a fraction of what a wrapped native object
 * per key did (native/binding/key_table.h).
 */
const collected = new FinalizationRegistry<KeyHandle>((handle) => native.keyCollected(handle));

/**
 * What keygen.ts hands the constructor with a handle it just got from the addon. Not exported from the package: a
 * handle is a plain number, and a KeyPair built around someone else's would export and, once collected, free
 * that key.
 */
export const issuedByKeygen: unique symbol = Symbol('keyscope.issuedByKeygen');

export class KeyPair {
  readonly algorithm: AlgorithmId;
  readonly #handle: KeyHandle;
  #released = false;

  /** @internal Key pairs come from generateKeyPair() and generateKeyPairSync(). */
  constructor(algorithm: AlgorithmId, handle: KeyHandle, issuer?: typeof issuedByKeygen) {
    if (issuer !== issuedByKeygen) throw new InvalidArgumentError(ErrorCodes.invalidOption, 'key pairs are made by generateKeyPair() and generateKeyPairSync()');
    this.algorithm = algorithm;
    this.#handle = handle;
    collected.register(this, handle);
  }

  /** True once release() has freed the native key. */
  get released(): boolean {
    return this.#released;
  }

  exportPrivateKey<F extends KeyFormat = 'pem'>(options?: PrivateKeyExportOptions & { format?: F }): Exported<F> {
    try {
      const { format = 'pem', passphrase, comment } = parseOptions(privateOptionsSchema, options, 'exportPrivateKey');
      const exported = this.#exportPrivate(format, passphrase, commentFor(format, comment, this.algorithm, 'exportPrivateKey')) as Exported<F>;
      instrumentation()?.keyExported('exportPrivateKey', this.algorithm, format, passphrase !== undefined);
      return exported;
    } catch (error) {
      instrumentation()?.apiFailed('exportPrivateKey', error, this.algorithm);
      throw error;
    }
  }

  exportPublicKey<F extends KeyFormat = 'pem'>(options?: PublicKeyExportOptions & { format?: F }): Exported<F> {
    try {
      const { format = 'pem', comment } = parseOptions(publicOptionsSchema, options, 'exportPublicKey');
      const exported = this.#exportPublic(format, commentFor(format, comment, this.algorithm, 'exportPublicKey')) as Exported<F>;
      instrumentation()?.keyExported('exportPublicKey', this.algorithm, format, false);
      return exported;
    } catch (error) {
      instrumentation()?.apiFailed('exportPublicKey', error, this.algorithm);
      throw error;
    }
  }

  /** The same key as node:crypto KeyObjects, for signing, deriving and everything else node:crypto does. */
  toKeyObject(): { publicKey: KeyObject; privateKey: KeyObject } {
    const der = native.exportPrivateKey(this.#handle, 'der');
    try {
      const privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
      return { privateKey, publicKey: createPublicKey(privateKey) };
    } finally {
      der.fill(0);
    }
  }

  /** Frees the native key now. Exports after this throw KS_KEY_RELEASED. */
  release(): void {
    native.releaseKey(this.#handle);
    this.#released = true;
  }

  /**
   * release(), for `using pair = generateKeyPairSync(...)`. A loop that never yields to the event loop frees the
   * key pairs it drops only when it yields (Node runs finalizers between tasks), so such a loop holds every key it
   * made until then; `using` or release() frees each at once.
   */
  [Symbol.dispose](): void {
    this.release();
  }

  #exportPrivate(format: KeyFormat, passphrase: string | Buffer | undefined, comment: string): string | Buffer | JsonWebKey {
    if (format === 'openssh') return this.#exportOpenSSHPrivate(passphrase, comment);
    if (format === 'jwk') {
      if (passphrase !== undefined) {
        throw new InvalidArgumentError(ErrorCodes.invalidOption, 'exportPrivateKey: a JWK cannot be passphrase-encrypted; use pem or der');
      }
      return this.#asJwk('exportPrivateKey', () => this.toKeyObject().privateKey.export({ format: 'jwk' }));
    }
    const secret = passphrase === undefined ? undefined : Buffer.from(passphrase);
    try {
      const bytes = native.exportPrivateKey(this.#handle, format, secret);
      return format === 'pem' ? bytes.toString('latin1') : bytes;
    } finally {
      secret?.fill(0);
    }
  }

  /** OpenSSL's unencrypted PKCS#8 PEM, re-encoded (and encrypted) by OpenSSH's rules, then wiped. */
  #exportOpenSSHPrivate(passphrase: string | Buffer | undefined, comment: string): string {
    requireOpenSSHAlgorithm(this.algorithm, 'exportPrivateKey');
    const secret = passphrase === undefined ? undefined : Buffer.from(passphrase);
    const pkcs8 = native.exportPrivateKey(this.#handle, 'pem');
    try {
      return encodeOpenSSHPrivateKey(pkcs8, { comment, ...(secret ? { passphrase: secret } : {}) });
    } finally {
      pkcs8.fill(0);
      secret?.fill(0);
    }
  }

  #exportPublic(format: KeyFormat, comment: string): string | Buffer | JsonWebKey {
    if (format === 'openssh') {
      requireOpenSSHAlgorithm(this.algorithm, 'exportPublicKey');
      return encodeOpenSSHPublicKey(native.exportPublicKey(this.#handle, 'pem'), comment);
    }
    if (format === 'jwk') return this.#asJwk('exportPublicKey', () => this.#spki().export({ format: 'jwk' }));
    const bytes = native.exportPublicKey(this.#handle, format);
    return format === 'pem' ? bytes.toString('latin1') : bytes;
  }

  /**
   * JWK is node:crypto's writing, so it exists where the running Node's crypto has the key type: an OpenSSL that
   * generates a key (Node 22 has OpenSSL 3.5's ML-KEM) does not make node:crypto able to write it as JWK.
   */
  #asJwk(where: 'exportPrivateKey' | 'exportPublicKey', write: () => JsonWebKey): JsonWebKey {
    try {
      return write();
    } catch (error) {
      if ((error as { code?: unknown }).code !== 'ERR_CRYPTO_JWK_UNSUPPORTED_KEY_TYPE') throw error;
      throw new InvalidArgumentError(
        ErrorCodes.formatUnsupported,
        `${where}: node:crypto on Node ${process.versions.node} cannot write ${this.algorithm} keys as JWK; use pem or der`,
      );
    }
  }

  #spki(): KeyObject {
    return createPublicKey({ key: native.exportPublicKey(this.#handle, 'der'), format: 'der', type: 'spki' });
  }
}
