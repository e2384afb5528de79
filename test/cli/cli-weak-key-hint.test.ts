/** The weak-key error says what to type where it is read: --allow-weak on the command line, allowWeak in the API. */
import { describe, expect, it } from 'vitest';

import { ErrorCodes, InvalidArgumentError } from '../../src/core/errors.js';
import { generateKeyPair, generateKeyPairSync } from '../../src/core/keygen.js';
import { runCli } from '../support/cli.js';

describe('the weak RSA key error', () => {
  it('names --allow-weak on the CLI, exit 2, and generates with it', async () => {
    const refused = await runCli(['keygen', 'rsa-1024']);
    expect(refused.status).toBe(2);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toBe('keyscope: error KS_WEAK_KEY_SIZE: RSA modulus size 1024 is below 2048 bits: pass --allow-weak to generate it anyway\n');

    const allowed = await runCli(['keygen', 'rsa-1024', '--allow-weak']);
    expect(allowed.status).toBe(0);
    expect(allowed.stdout).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
  });

  it('names allowWeak in the API, sync and async', async () => {
    const message = 'RSA modulus size 1024 is below 2048 bits: pass allowWeak: true to generate it anyway';
    expect(() => generateKeyPairSync('rsa-1024')).toThrow(expect.objectContaining({ code: ErrorCodes.weakKeySize, message }));
    const error = await generateKeyPair('rsa-1024').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ code: ErrorCodes.weakKeySize, message });
  });
});
