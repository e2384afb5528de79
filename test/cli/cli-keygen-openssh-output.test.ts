/**
 * Where `keygen --format openssh` prints what, without --json: the public key line alone on stdout (so that
 * `>> authorized_keys` gets nothing else), and ssh-keygen -l's fingerprint line on stdout when no key goes there,
 * on stderr when one does.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { runCli } from '../support/cli.js';
import { sshKeygen } from '../support/ssh-keygen.js';

const dir = mkdtempSync(join(tmpdir(), 'keyscope-openssh-output-'));
const fingerprintLine = /^256 SHA256:[A-Za-z0-9+/]{43} keyscope@ed25519 \(ED25519\)\n$/;

describe('keyscope keygen --format openssh output', () => {
  it('prints only the fingerprint when both keys go to files', async () => {
    const priv = join(dir, 'files');
    const result = await runCli(['keygen', 'ed25519', '--format', 'openssh', '--out', priv, '--pub-out', `${priv}.pub`]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(fingerprintLine);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe((await sshKeygen(['-l', '-f', `${priv}.pub`])).stdout);
  });

  it('prints the public key line alone on stdout, and the fingerprint on stderr', async () => {
    const result = await runCli(['keygen', 'ed25519', '--format', 'openssh']);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^ssh-ed25519 [A-Za-z0-9+/]+=* keyscope@ed25519\n$/);
    expect(result.stderr).toMatch(fingerprintLine);
    const pub = join(dir, 'stdout.pub');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(pub, result.stdout);
    expect(result.stderr).toBe((await sshKeygen(['-l', '-f', pub])).stdout);
  });

  it('prints the private key on stdout only with --out -, the fingerprint then on stderr', async () => {
    const pub = join(dir, 'private-stdout.pub');
    const result = await runCli(['keygen', 'ed25519', '--format', 'openssh', '--out', '-', '--pub-out', pub]);
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n[\s\S]+-----END OPENSSH PRIVATE KEY-----\n$/);
    expect(result.stderr).toMatch(fingerprintLine);
    expect(readFileSync(pub, 'utf8')).toMatch(/^ssh-ed25519 /);
  });

  it('takes --comment, and an empty one for none (ssh-keygen -l: "no comment")', async () => {
    const named = await runCli(['keygen', 'ec-p256', '--format', 'openssh', '--comment', 'alice@laptop']);
    expect(named.stdout).toMatch(/^ecdsa-sha2-nistp256 [A-Za-z0-9+/]+=* alice@laptop\n$/);
    expect(named.stderr).toMatch(/^256 SHA256:\S+ alice@laptop \(ECDSA\)\n$/);
    const none = await runCli(['keygen', 'ed25519', '--format', 'openssh', '--comment', '']);
    expect(none.stdout).toMatch(/^ssh-ed25519 [A-Za-z0-9+/]+=*\n$/);
    expect(none.stderr).toMatch(/^256 SHA256:\S+ no comment \(ED25519\)\n$/);
  });

  it('describes the key as JSON with the public key line and ssh-keygen -l as the fingerprint', async () => {
    const result = await runCli(['keygen', 'ed25519', '--format', 'openssh', '--json']);
    expect(result.status).toBe(0);
    expect(result.stderr).toBe('');
    const described = JSON.parse(result.stdout) as { fingerprint: string; publicKey: string };
    expect(`${described.fingerprint}\n`).toMatch(fingerprintLine);
    expect(described.publicKey).toMatch(/^ssh-ed25519 [A-Za-z0-9+/]+=* keyscope@ed25519\n$/);
  });

  it('leaves the other formats as they were: no fingerprint line, the SPKI fingerprint in --json', async () => {
    const pem = await runCli(['keygen', 'ed25519']);
    expect(pem.stderr).toBe('');
    expect(pem.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----\n[\s\S]+-----END PUBLIC KEY-----\n$/);
    const json = JSON.parse((await runCli(['keygen', 'ed25519', '--json'])).stdout) as { fingerprint: string };
    expect(json.fingerprint).toMatch(/^SHA256:[A-Za-z0-9_-]{43}$/);
  });
});
