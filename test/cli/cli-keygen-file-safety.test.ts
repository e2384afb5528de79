import { createPrivateKey, createPublicKey } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { binPath, runCli } from '../support/cli.js';

function freshDir(): string {
  return mkdtempSync(join(tmpdir(), 'keyscope-files-'));
}

describe('keyscope keygen file safety', () => {
  it('creates private key files with mode 0600 whatever the umask, public ones readable', async () => {
    const dir = freshDir();
    const out = join(dir, 'id.key');
    const pub = join(dir, 'id.pub');
    // Under umask 000 a plainly created file would be world-readable; the private key must not be.
    const { execFileSync } = await import('node:child_process');
    execFileSync('sh', ['-c', 'umask 000 && exec "$0" "$@"', process.execPath, binPath, 'keygen', 'ed25519', '--out', out, '--pub-out', pub]);
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(statSync(pub).mode & 0o777).toBe(0o644); // 0644 asked; umask 000 takes nothing away
    expect(createPublicKey(createPrivateKey(readFileSync(out))).equals(createPublicKey(readFileSync(pub)))).toBe(true);
    expect(readdirSync(dir).sort()).toEqual(['id.key', 'id.pub']);
  });

  it('never overwrites an existing file without --force', async () => {
    const dir = freshDir();
    const out = join(dir, 'existing.key');
    writeFileSync(out, 'precious');
    const result = await runCli(['keygen', 'ed25519', '--out', out]);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(`keyscope: error KS_FILE_EXISTS: ${out} exists; pass --force to replace it\n`);
    expect(readFileSync(out, 'utf8')).toBe('precious');
    expect(readdirSync(dir)).toEqual(['existing.key']);
  });

  it('writes neither file when the public key file exists', async () => {
    const dir = freshDir();
    const pub = join(dir, 'existing.pub');
    writeFileSync(pub, 'public');
    const result = await runCli(['keygen', 'ed25519', '--out', join(dir, 'new.key'), '--pub-out', pub]);
    expect(result.status).toBe(2);
    expect(readdirSync(dir)).toEqual(['existing.pub']);
  });

  it('replaces files with --force, atomically and with the private mode', async () => {
    const dir = freshDir();
    const out = join(dir, 'replace.key');
    writeFileSync(out, 'old', { mode: 0o644 });
    const result = await runCli(['keygen', 'ec-p256', '--out', out, '--force']);
    expect(result.status).toBe(0);
    expect(createPrivateKey(readFileSync(out)).asymmetricKeyType).toBe('ec');
    expect(statSync(out).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['replace.key']);
  });

  it('lets exactly one of many concurrent writers create the file, and the file is whole', async () => {
    const dir = freshDir();
    const out = join(dir, 'race.key');
    const results = await Promise.all(Array.from({ length: 8 }, () => runCli(['keygen', 'rsa-2048', '--out', out])));
    const winners = results.filter((r) => r.status === 0);
    expect(winners).toHaveLength(1);
    for (const loser of results.filter((r) => r.status !== 0)) expect(loser.stderr).toMatch(/KS_FILE_EXISTS/);
    expect(createPrivateKey(readFileSync(out)).asymmetricKeyDetails?.modulusLength).toBe(2048);
    // Losers leave no temporary files behind.
    expect(readdirSync(dir)).toEqual(['race.key']);
  }, 120_000);

  it('reports a missing directory as KS_FILE_WRITE and creates nothing', async () => {
    const dir = freshDir();
    const result = await runCli(['keygen', 'ed25519', '--out', join(dir, 'missing', 'id.key')]);
    expect(result.status).toBe(1);
    expect(result.stderr).toMatch(/^keyscope: error KS_FILE_WRITE: cannot write .*id\.key: its directory does not exist\n$/);
    expect(existsSync(join(dir, 'missing'))).toBe(false);
  });

  it('refuses the same file for both halves', async () => {
    const dir = freshDir();
    const same = join(dir, 'both.pem');
    const result = await runCli(['keygen', 'ed25519', '--out', same, '--pub-out', same]);
    expect(result.status).toBe(2);
    expect(existsSync(same)).toBe(false);
  });
});
