/**
 * The guard keeps what analytics legitimately records: keyscope's error codes and messages (real ones,
 * raised by the library), package-relative stack frames of every source file, algorithm ids, UUIDs and
 * 16-hex fingerprints.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

import { describe, expect, it } from 'vitest';

import { type AlgorithmId, ErrorCodes, generateKeyPairSync, KeyscopeError, listAlgorithms, measureKeygen } from '../../src/index.js';
import { looksLikeKeyMaterial } from '../../src/analytics/capture/privacy/key-material-guard.js';
import { scrubStack } from '../../src/analytics/capture/privacy/scrub-paths.js';
import { repoRoot } from '../support/analytics-fixtures.js';

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** Errors keyscope really raises, from the TypeScript validation and from the native addon. */
async function realErrors(): Promise<unknown[]> {
  const attempts: (() => unknown)[] = [
    () => generateKeyPairSync('nope' as AlgorithmId),
    () => generateKeyPairSync('rsa-1000'),
    () => generateKeyPairSync('rsa-1024'),
    () => generateKeyPairSync('' as AlgorithmId),
    () => generateKeyPairSync(42 as unknown as AlgorithmId),
    () => generateKeyPairSync('ed25519', { allowWeak: 'yes' } as never),
    () => generateKeyPairSync('ed25519', { colour: 'blue' } as never),
    () => generateKeyPairSync('ed25519').exportPrivateKey({ format: 'xml' } as never),
    () => generateKeyPairSync('ed25519').exportPrivateKey({ format: 'pem', passphrase: 7 } as never),
    () => measureKeygen('ed25519', { samples: -1 } as never),
    () => measureKeygen('ed25519', { samples: 1.5 } as never),
  ];
  const errors: unknown[] = [];
  for (const attempt of attempts) {
    try {
      await attempt();
    } catch (error) {
      errors.push(error);
    }
  }
  const released = generateKeyPairSync('ed25519');
  released.release();
  try {
    released.exportPublicKey();
  } catch (error) {
    errors.push(error);
  }
  return errors;
}

describe('key-material guard: ordinary strings are kept', () => {
  it('keeps every error code', () => {
    for (const code of Object.values(ErrorCodes)) expect(looksLikeKeyMaterial(code), code).toBe(false);
  });

  it('keeps real keyscope error messages and their scrubbed stack frames', async () => {
    const errors = await realErrors();
    expect(errors.length).toBeGreaterThanOrEqual(10);
    for (const error of errors) {
      expect(error).toBeInstanceOf(KeyscopeError);
      const { message, stack } = error as KeyscopeError;
      expect(looksLikeKeyMaterial(message), message).toBe(false);
      for (const frame of scrubStack(stack)) expect(frame).not.toMatch(/refused/);
    }
  });

  it('keeps a frame for every source and compiled file of the package', () => {
    const files = [...filesUnder(join(repoRoot, 'src')), ...filesUnder(join(repoRoot, 'native'))];
    expect(files.length).toBeGreaterThan(50);
    for (const file of files) {
      const path = relative(repoRoot, file).replace(/\.ts$/, '.js').replace(/^src\//, 'dist/');
      for (const frame of [`${path}:42:17`, `at processTicksAndRejections (${path}:1234:56)`, `at async Promise.all (index 0)`]) {
        expect(looksLikeKeyMaterial(frame), frame).toBe(false);
      }
    }
    expect(looksLikeKeyMaterial('dist/compare/statistics/hodges-lehmann.js:42:17')).toBe(false);
  });

  it('keeps algorithm ids, UUIDs and 16-hex fingerprints', () => {
    for (const { id } of listAlgorithms()) expect(looksLikeKeyMaterial(id)).toBe(false);
    for (let i = 0; i < 200; i++) {
      const uuid = randomUUID();
      expect(looksLikeKeyMaterial(uuid), uuid).toBe(false);
      const fingerprint = randomBytes(8).toString('hex');
      expect(looksLikeKeyMaterial(fingerprint), fingerprint).toBe(false);
      expect(looksLikeKeyMaterial(`group ${fingerprint} seen in ${uuid}`)).toBe(false);
    }
  });

  it('keeps OpenSSL function and reason names', () => {
    for (const name of ['EVP_PKEY_CTX_new_from_name', 'EVP_PKEY_CTX_set_rsa_keygen_bits', 'OSSL_PROVIDER_add_builtin', 'ERR_OSSL_EVP_BAD_DECRYPT', 'unsupported algorithm', 'digital envelope routines']) {
      expect(looksLikeKeyMaterial(name), name).toBe(false);
    }
  });
});
