/**
 * `keygen --format openssh` refuses, before generating anything and writing no file, every algorithm OpenSSH has
 * no keys of (whether or not this OpenSSL could generate it), and comments OpenSSH would not show back as given:
 * one line on stderr with a stable code, exit status 2.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { listedAlgorithmIds } from '../../src/core/algorithms.js';
import { runCli } from '../support/cli.js';

const opensshAlgorithms = new Set(['ed25519', 'ec-p256', 'ec-p384', 'ec-p521']);
const refused = listedAlgorithmIds.filter((id) => !opensshAlgorithms.has(id) && !id.startsWith('rsa-'));

async function refusal(args: string[], env: NodeJS.ProcessEnv = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'keyscope-openssh-refused-'));
  const result = await runCli(['keygen', ...args, '--out', join(dir, 'key'), '--pub-out', join(dir, 'key.pub')], { env });
  return { ...result, files: readdirSync(dir) };
}

describe('keygen --format openssh refuses', () => {
  it('every listed algorithm but ed25519, ec-p256/384/521 and RSA', () => {
    expect(refused).toEqual(expect.arrayContaining(['x25519', 'x448', 'ed448', 'ec-secp256k1', 'ml-kem-768', 'ml-dsa-65', 'slh-dsa-sha2-128s']));
  });

  it.each(refused)('%s: KS_FORMAT_UNSUPPORTED, one line, exit 2, no file', async (id) => {
    const result = await refusal([id, '--format', 'openssh', '--passphrase-env', 'KS_TEST_PASS'], { KS_TEST_PASS: 'secret' });
    expect(result.status).toBe(2);
    expect(result.stderr).toBe(
      `keyscope: error KS_FORMAT_UNSUPPORTED: --format openssh: OpenSSH has no ${id} keys (it has ed25519, ec-p256, ec-p384, ec-p521 and rsa-<bits>)\n`,
    );
    expect(result.stdout).toBe('');
    expect(result.files).toEqual([]);
  });

  it('leaves an unknown algorithm or RSA size to the generator and its own codes', async () => {
    expect((await refusal(['ed25519x', '--format', 'openssh'])).stderr).toMatch(/^keyscope: error KS_UNKNOWN_ALGORITHM: /);
    expect((await refusal(['rsa-1000', '--format', 'openssh'])).stderr).toMatch(/^keyscope: error KS_INVALID_KEY_SIZE: /);
  });

  it.each([
    ['a newline', 'alice\nbob', 'must be printable ASCII on one line'],
    ['a non-ASCII letter', 'josé', 'must be printable ASCII on one line'],
    ['a leading "#"', '#x', 'must not start with "#"'],
  ])('a comment with %s: KS_INVALID_OPTION naming --comment, no file', async (_, comment, why) => {
    const result = await refusal(['ed25519', '--format', 'openssh', '--comment', comment]);
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^keyscope: error KS_INVALID_OPTION: --comment ${why}[^\\n]*\\n$`));
    expect(result.files).toEqual([]);
  });

  it('--comment with another format', async () => {
    const result = await refusal(['ed25519', '--comment', 'x']);
    expect(result.status).toBe(2);
    expect(result.stderr).toBe('keyscope: error KS_INVALID_OPTION: --comment is only for --format openssh\n');
    expect(result.files).toEqual([]);
  });
});
