import { describe, expect, it } from 'vitest';

import { exitStatusFor } from '../../src/cli/exit-status.js';
import { createKeyscopeError, errorCodeKinds, isUsageOutcome } from '../../src/core/errors.js';
import { ErrorCodes, InvalidArgumentError, KeyscopeError, OpenSSLError, UnsupportedAlgorithmError } from '../../src/index.js';

it('builds the class that goes with each code, as the native addon asks for it', () => {
  expect(createKeyscopeError(ErrorCodes.unknownAlgorithm, 'x')).toBeInstanceOf(InvalidArgumentError);
  expect(createKeyscopeError(ErrorCodes.weakKeySize, 'x')).toBeInstanceOf(InvalidArgumentError);
  expect(createKeyscopeError(ErrorCodes.unsupportedAlgorithm, 'x')).toBeInstanceOf(UnsupportedAlgorithmError);
  expect(createKeyscopeError(ErrorCodes.keyReleased, 'x')).toBeInstanceOf(KeyscopeError);
  const openssl = createKeyscopeError(ErrorCodes.openssl, 'EVP_PKEY_keygen failed', [{ library: 'rsa routines', reason: 'key size too small', code: 1 }]);
  expect(openssl).toBeInstanceOf(OpenSSLError);
  expect((openssl as OpenSSLError).openssl).toEqual([{ library: 'rsa routines', reason: 'key size too small', code: 1 }]);
});

it('never invents codes: an unexpected native code is reported as an OpenSSL-side failure that names it', () => {
  const error = createKeyscopeError('KS_SOMETHING_NEW', 'odd');
  expect(error.code).toBe(ErrorCodes.openssl);
  expect(error.message).toBe('odd (unexpected code KS_SOMETHING_NEW)');
});

it('keeps messages on one line and names the class', () => {
  const error = new KeyscopeError(ErrorCodes.usage, 'first line\n  second line');
  expect(error.message).toBe('first line second line');
  expect(error.name).toBe('KeyscopeError');
  expect(new InvalidArgumentError(ErrorCodes.invalidOption, 'x').name).toBe('InvalidArgumentError');
});

describe('errorCodeKinds', () => {
  it('calls every code the CLI answers with exit 2 (asked for something it cannot do as given) an outcome', () => {
    for (const code of Object.values(ErrorCodes)) {
      if (exitStatusFor(new KeyscopeError(code, 'x')) === 2) expect([code, errorCodeKinds[code]]).toEqual([code, 'outcome']);
    }
    expect(isUsageOutcome(new KeyscopeError(ErrorCodes.openssl, 'x'))).toBe(false);
    expect(isUsageOutcome(new KeyscopeError(ErrorCodes.storeCorrupt, 'x'))).toBe(false);
    expect(isUsageOutcome(new KeyscopeError(ErrorCodes.analyticsBusy, 'x'))).toBe(true);
    // Only keyscope's own codes can be outcomes: an unwrapped system error or a bug is a failure.
    expect(isUsageOutcome(Object.assign(new Error('x'), { code: 'ENOENT' }))).toBe(false);
    expect(isUsageOutcome(new TypeError('x'))).toBe(false);
  });
});
