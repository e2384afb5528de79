import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { errorEventFrom, maxMessageLength, unrecordedMessage } from '../../src/analytics/capture/error-event.js';
import { errorFingerprint } from '../../src/analytics/events/fingerprint.js';
import { ErrorCodes, InvalidArgumentError, KeyscopeError, OpenSSLError } from '../../src/core/errors.js';

describe('errorEventFrom', () => {
  it('keeps an OpenSSLError\'s library and reason names only', () => {
    const error = new OpenSSLError('key generation failed', [
      { library: 'rsa routines', reason: 'key size too small', code: 0x1c80_0077 },
      { library: 'provider routines', reason: 'invalid key length', code: 42 },
    ]);
    const event = errorEventFrom(error, { operation: 'api generateKeyPairSync', algorithm: 'rsa-2048' });
    expect(event).toMatchObject({
      type: 'error',
      scope: 'errors',
      errorType: 'OpenSSLError',
      code: ErrorCodes.openssl,
      message: 'key generation failed',
      openssl: [
        { library: 'rsa routines', reason: 'key size too small' },
        { library: 'provider routines', reason: 'invalid key length' },
      ],
      operation: 'api generateKeyPairSync',
      algorithm: 'rsa-2048',
      nodeVersion: process.versions.node,
    });
    expect(event.opensslVersion).toMatch(/\d+\.\d+/);
    expect(event.fingerprint).toBe(errorFingerprint(event));
    expect(event.fingerprint).toMatch(/^[0-9a-f]{16}$/);
    expect(JSON.stringify(event)).not.toContain('code":47'); // the numeric OpenSSL codes are not kept
  });

  it('gives a KeyscopeError subclass its class name and KS_ code, and drops an invalid algorithm', () => {
    const error = new InvalidArgumentError(ErrorCodes.unknownAlgorithm, 'unknown algorithm "dsa-1024"');
    const event = errorEventFrom(error, { operation: 'cli keygen', algorithm: 'dsa-1024' });
    expect(event.errorType).toBe('InvalidArgumentError');
    expect(event.code).toBe('KS_UNKNOWN_ALGORITHM');
    // Its message quotes what was typed, so it is not recorded.
    expect(event.message).toBe(unrecordedMessage);
    expect(JSON.stringify(event)).not.toContain('dsa-1024');
    expect(event.openssl).toEqual([]);
    expect('algorithm' in event).toBe(false);
    // Frames are scrubbed: this test file is inside the package, so its frame is package-relative.
    expect(event.stack.some((frame) => frame.includes('test/analytics/analytics-errors-error-event.test.ts'))).toBe(true);
    expect(event.stack.join('\n')).not.toContain(process.cwd());
  });

  it('records a built-in TypeError without a code, and never its cause', () => {
    const error = new TypeError('bad argument', { cause: new Error('secret cause text') });
    const event = errorEventFrom(error, { operation: 'api exportPrivateKey' });
    expect(event.errorType).toBe('TypeError');
    expect(event.code).toBeNull();
    expect(JSON.stringify(event)).not.toContain('secret cause text');
  });

  it('records a Node fs error by its errno code and system call, never the path its message names', () => {
    const path = join(homedir(), 'projects', 'no-such-dir', 'key.pem');
    let thrown: unknown;
    try {
      readFileSync(path);
    } catch (error) {
      thrown = error;
    }
    const event = errorEventFrom(thrown, { operation: 'cli keygen' });
    expect(event.errorType).toBe('Error');
    expect(event.code).toBe('ENOENT');
    expect(event.message).toBe('ENOENT: open failed');
    expect(JSON.stringify(event)).not.toContain('no-such-dir');
    expect(JSON.stringify(event)).not.toContain('"syscall"');
    expect(JSON.stringify(event)).not.toContain(homedir());
  });

  it('refuses key material in a message and keeps messages to one short line', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIPr9oLq0nAHwv1HV6rhBG4RX0N7b9lYl2HYR5JcAkq7X\n-----END PRIVATE KEY-----';
    expect(errorEventFrom(new Error(`bad key ${pem}`), { operation: 'api exportPrivateKey' }).message).not.toContain('PRIVATE KEY');
    const long = errorEventFrom(new Error(`first line\nsecond line ${'word '.repeat(200)}`), { operation: 'cli keygen' });
    expect(long.message).not.toContain('\n');
    expect(long.message.length).toBeLessThanOrEqual(maxMessageLength);
    expect(long.message.startsWith('first line second line')).toBe(true);
  });

  it('never records the message of an outcome, which exists to quote the user: paths, option values, a passphrase typed as a variable name', () => {
    const outcomes = [
      new KeyscopeError(ErrorCodes.fileExists, 'clients/acme/prod.pem exists: pass --force to replace it'),
      new KeyscopeError(ErrorCodes.missingPassphrase, 'environment variable correct horse battery staple is not set or empty'),
      new KeyscopeError(ErrorCodes.usage, "unknown option '--token=hunter2'"),
    ];
    for (const error of outcomes) {
      const event = errorEventFrom(error, { operation: 'cli keygen' });
      expect(event.message).toBe(unrecordedMessage);
    }
  });

  it('describes a thrown non-error without reading it', () => {
    const event = errorEventFrom({ toString: () => 'secret' }, { operation: 'api generateKeyPair' });
    expect(event.errorType).toBe('object');
    expect(event.message).toBe('a thrown object');
    expect(event.stack).toEqual([]);
  });
});
