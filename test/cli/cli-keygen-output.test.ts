import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runCli } from '../support/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'keyscope-cli-'));

describe('keyscope keygen output', () => {
  it('prints only the public key by default', async () => {
    const result = await runCli(['keygen', 'ed25519']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
    expect(createPublicKey(result.stdout).asymmetricKeyType).toBe('ed25519');
    expect(result.stdout).not.toContain('PRIVATE');
    expect(result.stderr).toBe('');
  });

  it('prints the private key only when asked with --out -', async () => {
    const result = await runCli(['keygen', 'ec-p384', '--out', '-']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(result.stdout).not.toContain('PUBLIC KEY');
    expect(createPrivateKey(result.stdout).asymmetricKeyDetails).toEqual({ namedCurve: 'secp384r1' });
  });

  it('writes DER and JWK', async () => {
    const der = await runCli(['keygen', 'x25519', '--format', 'der']);
    expect(der.status).toBe(0);
    expect(createPublicKey({ key: der.stdoutBytes, format: 'der', type: 'spki' }).asymmetricKeyType).toBe('x25519');
    const jwk = await runCli(['keygen', 'ec-p256', '--format', 'jwk']);
    expect(JSON.parse(jwk.stdout)).toMatchObject({ kty: 'EC', crv: 'P-256' });
    expect(JSON.parse(jwk.stdout)).not.toHaveProperty('d');
  });

  it('describes the key as JSON, with its fingerprint, and no private key unless asked', async () => {
    const out = join(dir, 'json.key');
    const result = await runCli(['keygen', 'ed448', '--json', '--out', out]);
    expect(result.status).toBe(0);
    const described = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(described).toMatchObject({ algorithm: 'ed448', format: 'pem', encrypted: false, privateKeyFile: out, publicKeyFile: null });
    expect(described['fingerprint']).toMatch(/^SHA256:[A-Za-z0-9_-]{43}$/);
    expect(described).not.toHaveProperty('privateKey');
    expect(createPublicKey(described['publicKey'] as string).equals(createPublicKey(createPrivateKey(readFileSync(out))))).toBe(true);
  });

  it('encrypts the private key with the passphrase from --passphrase-env', async () => {
    const out = join(dir, 'encrypted.key');
    const result = await runCli(['keygen', 'rsa-2048', '--out', out, '--passphrase-env', 'KS_TEST_PASS'], { env: { KS_TEST_PASS: 'hunter22' } });
    expect(result.status).toBe(0);
    const pem = readFileSync(out, 'utf8');
    expect(pem).toMatch(/^-----BEGIN ENCRYPTED PRIVATE KEY-----/);
    expect(() => createPrivateKey(pem)).toThrow();
    expect(createPrivateKey({ key: pem, passphrase: 'hunter22' }).asymmetricKeyDetails?.modulusLength).toBe(2048);
    expect(result.stdout + result.stderr).not.toContain('hunter22');
  });

  it('generates weak RSA only with --allow-weak', async () => {
    const refused = await runCli(['keygen', 'rsa-1024']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(/^keyscope: error KS_WEAK_KEY_SIZE: .*pass --allow-weak/);
    const allowed = await runCli(['keygen', 'rsa-1024', '--allow-weak']);
    expect(allowed.status).toBe(0);
    expect(createPublicKey(allowed.stdout).asymmetricKeyDetails?.modulusLength).toBe(1024);
  });

  it('lists algorithms and OpenSSL info', async () => {
    const algorithms = JSON.parse((await runCli(['algorithms', '--json'])).stdout) as { id: string }[];
    expect(algorithms.map((a) => a.id)).toContain('ec-secp256k1');
    const info = JSON.parse((await runCli(['info', '--json'])).stdout) as { version: string };
    expect(info.version).toBe(process.versions.openssl);
  });
});
