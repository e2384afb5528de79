/**
 * `keyscope keygen ALG --format openssh` writes files that Debian's ssh-keygen reads as its own: the private key
 * derives the public key written beside it, the fingerprint keyscope prints is ssh-keygen -l's line, an encrypted
 * key opens with its passphrase only, an unencrypted one with none, and the key signs what ssh-keygen verifies.
 */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runCli } from '../support/cli.js';
import { readOpenSSHKeyHeader, sshKeygen, typeAndBlob } from '../support/ssh-keygen.js';

const dir = mkdtempSync(join(tmpdir(), 'keyscope-openssh-cli-'));

const algorithms = [
  ['ed25519', 'ssh-ed25519', '256', 'ED25519'],
  ['ec-p256', 'ecdsa-sha2-nistp256', '256', 'ECDSA'],
  ['ec-p384', 'ecdsa-sha2-nistp384', '384', 'ECDSA'],
  ['ec-p521', 'ecdsa-sha2-nistp521', '521', 'ECDSA'],
  ['rsa-2048', 'ssh-rsa', '2048', 'RSA'],
] as const;

interface Described {
  algorithm: string;
  format: string;
  fingerprint: string;
  encrypted: boolean;
  privateKeyFile: string | null;
  publicKeyFile: string | null;
}

async function keygen(id: string, name: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}) {
  const priv = join(dir, name);
  const pub = `${priv}.pub`;
  const result = await runCli(['keygen', id, '--format', 'openssh', '--out', priv, '--pub-out', pub, '--json', ...extra], { env });
  expect(result.status, result.stderr).toBe(0);
  return { priv, pub, described: JSON.parse(result.stdout) as Described, result };
}

/** ssh-keygen -Y sign with the key, then -Y verify against the .pub line as an allowed signer. */
async function signAndVerify(priv: string, pub: string, passphrase: string): Promise<void> {
  const message = join(dir, `${priv.split('/').pop()}.message`);
  writeFileSync(message, 'signed by a keyscope key\n');
  const signed = await sshKeygen(['-Y', 'sign', '-f', priv, '-P', passphrase, '-n', 'file', message]);
  expect(signed.status, signed.stderr).toBe(0);
  const allowed = `${message}.allowed`;
  writeFileSync(allowed, `keyscope@test ${typeAndBlob(readFileSync(pub, 'utf8'))}\n`);
  const verified = await sshKeygen(['-Y', 'verify', '-f', allowed, '-I', 'keyscope@test', '-n', 'file', '-s', `${message}.sig`], {
    input: readFileSync(message, 'utf8'),
  });
  expect(verified.status, verified.stderr).toBe(0);
  expect(verified.stdout).toMatch(/^Good "file" signature for keyscope@test/);
}

describe.each(algorithms)('%s', (id, type, bits, label) => {
  it('unencrypted: ssh-keygen derives the same public key without a passphrase, and prints the same fingerprint', async () => {
    const { priv, pub, described } = await keygen(id, `${id}-plain`);
    expect(described).toMatchObject({ algorithm: id, format: 'openssh', encrypted: false, privateKeyFile: priv, publicKeyFile: pub });
    expect(statSync(priv).mode & 0o777).toBe(0o600);
    const line = readFileSync(pub, 'utf8');
    expect(line).toMatch(new RegExp(`^${type} [A-Za-z0-9+/]+=* keyscope@${id}\\n$`));

    const header = readOpenSSHKeyHeader(readFileSync(priv, 'utf8'));
    expect(header).toMatchObject({ cipher: 'none', kdf: 'none' });
    const derived = await sshKeygen(['-y', '-P', '', '-f', priv]);
    expect(derived.status, derived.stderr).toBe(0);
    expect(typeAndBlob(derived.stdout)).toBe(typeAndBlob(line));

    const listed = await sshKeygen(['-l', '-f', pub]);
    expect(listed.status, listed.stderr).toBe(0);
    expect(described.fingerprint).toBe(listed.stdout.replace(/\n$/, ''));
    expect(described.fingerprint).toMatch(new RegExp(`^${bits} SHA256:[A-Za-z0-9+/]{43} keyscope@${id} \\(${label}\\)$`));
    // The private file names the same key for ssh-keygen -l too.
    expect((await sshKeygen(['-l', '-f', priv])).stdout.split(' ').slice(0, 2)).toEqual(described.fingerprint.split(' ').slice(0, 2));

    await signAndVerify(priv, pub, '');
  });

  it('encrypted with --passphrase-env: opens with that passphrase only', async () => {
    const passphrase = 'correct horse battery staple';
    const { priv, pub, described, result } = await keygen(id, `${id}-encrypted`, ['--passphrase-env', 'KS_TEST_PASS', '--comment', 'ci deploy key'], {
      KS_TEST_PASS: passphrase,
    });
    expect(described.encrypted).toBe(true);
    expect(result.stdout + result.stderr).not.toContain(passphrase);
    expect(readOpenSSHKeyHeader(readFileSync(priv, 'utf8'))).toMatchObject({ cipher: 'aes256-ctr', kdf: 'bcrypt', kdfOptions: { rounds: 16 } });

    const derived = await sshKeygen(['-y', '-P', passphrase, '-f', priv]);
    expect(derived.status, derived.stderr).toBe(0);
    expect(typeAndBlob(derived.stdout)).toBe(typeAndBlob(readFileSync(pub, 'utf8')));
    expect(derived.stdout).toMatch(/ ci deploy key\n$/); // the comment is inside the private key too

    for (const wrong of ['correct horse battery stapl', '']) {
      const refused = await sshKeygen(['-y', '-P', wrong, '-f', priv]);
      expect(refused.status).not.toBe(0);
      expect(refused.stdout).toBe('');
    }
    expect(described.fingerprint).toBe((await sshKeygen(['-l', '-f', pub])).stdout.replace(/\n$/, ''));
    expect(described.fingerprint).toMatch(/ ci deploy key \([A-Z0-9]+\)$/);
    await signAndVerify(priv, pub, passphrase);
  });
});

describe('an RSA size that is not a multiple of 64', () => {
  it('shows the bits ssh-keygen shows', async () => {
    const { pub, described } = await keygen('rsa-2056', 'rsa-2056');
    expect(described.fingerprint).toBe((await sshKeygen(['-l', '-f', pub])).stdout.replace(/\n$/, ''));
    expect(described.fingerprint).toMatch(/^2056 /);
  });
});
