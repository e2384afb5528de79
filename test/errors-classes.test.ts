import { expect, it } from 'vitest';

import { createKeyscopeError } from '../src/errors.js';
import { ErrorCodes, InvalidArgumentError, KeyscopeError, OpenSSLError, UnsupportedAlgorithmError } from '../src/index.js';

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
