/**
 * With analytics' hooks installed and the usage scope on, every public generate and export call yields exactly
 * one api.call record, whatever happens to it: success, a bad algorithm or option refused in JS or in the addon,
 * a weak size refused, an algorithm this OpenSSL lacks, a released key. The algorithm is recorded only when it is
 * a valid id; anything else the caller passed becomes "<invalid>".
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { readSpoolSegment } from '../../src/analytics/spool/binary-segment.js';
import { openNativeSpool, spoolHooks, type NativeSpool } from '../../src/analytics/capture/native-spool.js';
import { OpenSSLError } from '../../src/core/errors.js';
import { type AlgorithmId, generateKeyPair, generateKeyPairSync, listAlgorithms } from '../../src/index.js';
import { setInstrumentation } from '../../src/core/instrumentation.js';

let spool: NativeSpool | undefined;
afterEach(() => {
  setInstrumentation(null);
  spool?.close();
});

function installUsage(): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'keyscope-spool-')), 'spool');
  spool = openNativeSpool({ dir, installId: 'i', sessionId: 's', keyscopeVersion: 'v' });
  spool.setScopeMask(1);
  setInstrumentation({ ...spoolHooks(spool), weakParameters: vi.fn() });
  return dir;
}

function apiCalls(dir: string): string[] {
  const seq = (name: string) => Number(/-(\d+)\.bin$/.exec(name)![1]);
  return readdirSync(dir)
    .sort((a, b) => seq(a) - seq(b))
    .flatMap((name) => readSpoolSegment(join(dir, name), 0).events)
    .map((e) => {
      if (e.type !== 'api.call') return e.type;
      const extra = [e.format, e.encrypted === undefined ? undefined : `encrypted=${e.encrypted}`].filter(Boolean);
      return [e.api, e.algorithm, e.outcome, ...extra].join(' ');
    });
}

function fails(fn: () => unknown): void {
  expect(fn).toThrow();
}

describe('api.call instrumentation', () => {
  it('records every generate call exactly once, failed or not', async () => {
    const dir = installUsage();
    const unsupported = listAlgorithms().find((a) => !a.supported)?.id;
    const bad = (value: unknown) => value as AlgorithmId;

    generateKeyPairSync('ed25519');
    await generateKeyPair('x25519');
    fails(() => generateKeyPairSync(bad('dsa-2048')));
    fails(() => generateKeyPairSync(bad(2048)));
    fails(() => generateKeyPairSync('ed25519', { bits: 1 } as never));
    fails(() => generateKeyPairSync('rsa-1024'));
    await expect(generateKeyPair('rsa-512', { allowWeak: true })).rejects.toThrow();
    await expect(generateKeyPair('ec-p256', 'fast' as never)).rejects.toThrow();
    // A long string (it could be anything, key material included) never reaches a record.
    fails(() => generateKeyPairSync(bad(`-----BEGIN PRIVATE KEY-----${'A'.repeat(64)}`)));
    if (unsupported) fails(() => generateKeyPairSync(unsupported));

    expect(apiCalls(dir)).toEqual([
      'generateKeyPairSync ed25519 ok',
      'generateKeyPair x25519 ok',
      'generateKeyPairSync <invalid> error',
      'generateKeyPairSync <invalid> error',
      // A valid id with bad options: the id is recorded.
      'generateKeyPairSync ed25519 error',
      // Refused as weak, but a valid id.
      'generateKeyPairSync rsa-1024 error',
      'generateKeyPair <invalid> error',
      'generateKeyPair ec-p256 error',
      'generateKeyPairSync <invalid> error',
      ...(unsupported ? [`generateKeyPairSync ${unsupported} error`] : []),
    ]);
  });

  it('leaves an OpenSSL failure of a generate call to the native record (no second api.call)', () => {
    const dir = installUsage();
    const hooks = spoolHooks(spool!);
    // What the catch block passes when EVP_PKEY_keygen failed: the addon has already written that call's record.
    hooks.apiFailed('generateKeyPairSync', new OpenSSLError('EVP_PKEY_keygen failed', []), 'ed25519');
    hooks.apiFailed('generateKeyPair', new OpenSSLError('EVP_PKEY_keygen failed', []), 'ed25519');
    // An export has no native record of its own: its OpenSSL failure is recorded here.
    hooks.apiFailed('exportPrivateKey', new OpenSSLError('PEM_write failed', []), 'ed25519');
    expect(apiCalls(dir)).toEqual(['exportPrivateKey ed25519 error']);
  });

  it('records every export call exactly once, with its format and encryption', () => {
    const pair = generateKeyPairSync('ec-p256');
    const dir = installUsage();
    pair.exportPublicKey();
    pair.exportPublicKey({ format: 'jwk' });
    pair.exportPrivateKey({ format: 'der', passphrase: 'correct horse' });
    pair.exportPrivateKey({ format: 'jwk' });
    pair.exportPublicKey({ format: 'openssh' });
    pair.exportPrivateKey({ format: 'openssh' });
    fails(() => pair.exportPrivateKey({ format: 'jwk', passphrase: 'x' }));
    fails(() => pair.exportPublicKey({ format: 'xml' as never }));
    pair.release();
    fails(() => pair.exportPrivateKey());
    // toKeyObject is not an export API: no record.
    fails(() => pair.toKeyObject());

    expect(apiCalls(dir)).toEqual([
      'exportPublicKey ec-p256 ok pem',
      'exportPublicKey ec-p256 ok jwk',
      'exportPrivateKey ec-p256 ok der encrypted=true',
      'exportPrivateKey ec-p256 ok jwk encrypted=false',
      // openssh is format code 4: the record's third format bit.
      'exportPublicKey ec-p256 ok openssh',
      'exportPrivateKey ec-p256 ok openssh encrypted=false',
      'exportPrivateKey ec-p256 error',
      'exportPublicKey ec-p256 error',
      'exportPrivateKey ec-p256 error',
    ]);
  });

  it('records nothing without hooks, and nothing with the usage scope off', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'keyscope-spool-')), 'spool');
    spool = openNativeSpool({ dir, installId: 'i', sessionId: 's', keyscopeVersion: 'v' });
    spool.setScopeMask(2);
    setInstrumentation({ ...spoolHooks(spool), weakParameters: vi.fn() });
    fails(() => generateKeyPairSync('dsa-2048' as AlgorithmId));
    generateKeyPairSync('ed25519').exportPublicKey();
    setInstrumentation(null);
    spool.setScopeMask(1);
    fails(() => generateKeyPairSync('dsa-2048' as AlgorithmId));
    // Only the native record of the generate call with performance on, then the one native api.call.
    expect(apiCalls(dir)).toEqual(['keygen.timing']);
  });
});
