import { describe, expect, it } from 'vitest';

import { runCli } from '../support/cli.js';

const cases: [string[], number, RegExp][] = [
  [['keygen', 'dsa-1024'], 2, /^keyscope: error KS_UNKNOWN_ALGORITHM: unknown algorithm "dsa-1024"/],
  [['keygen', 'rsa-2050'], 2, /^keyscope: error KS_INVALID_KEY_SIZE: RSA modulus size 2050 is invalid/],
  [['keygen'], 2, /^keyscope: error KS_USAGE: missing required argument 'algorithm'/],
  [['keygen', 'ed25519', '--format', 'ssh'], 2, /^keyscope: error KS_USAGE: option '--format <format>' argument 'ssh' is invalid/],
  [['keygen', 'ed25519', '--colour'], 2, /^keyscope: error KS_USAGE: unknown option '--colour'/],
  [['keygen', 'ed25519', '--out', 'x.key', '--passphrase-env', 'KS_UNSET_VARIABLE_FOR_TEST'], 2, /^keyscope: error KS_MISSING_PASSPHRASE: environment variable KS_UNSET_VARIABLE_FOR_TEST is not set or empty/],
  [['keygen', 'ed25519', '--format', 'jwk', '--out', 'x.key', '--passphrase-env', 'HOME'], 2, /^keyscope: error KS_INVALID_OPTION: --passphrase-env cannot be used with --format jwk/],
  [['keygen', 'ed25519', '--passphrase-env', 'HOME'], 2, /^keyscope: error KS_INVALID_OPTION: --passphrase-env encrypts the private key, which is only written with --out/],
  [['keygen', 'ed25519', '--out', '-', '--pub-out', '-'], 2, /^keyscope: error KS_INVALID_OPTION: --out - and --pub-out - cannot both use stdout/],
  [['frobnicate'], 2, /^keyscope: error KS_USAGE: unknown command 'frobnicate'/],
];

describe.each(cases)('keyscope %j', (args, status, stderr) => {
  it(`exits ${status} with one line on stderr and nothing on stdout`, async () => {
    const result = await runCli(args);
    expect(result.status).toBe(status);
    expect(result.stderr).toMatch(stderr);
    expect(result.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(result.stdout).toBe('');
  });
});

it('prints help and exits 0', async () => {
  const result = await runCli(['keygen', '--help']);
  expect(result.status).toBe(0);
  expect(result.stdout).toMatch(/--passphrase-env <var>/);
});
