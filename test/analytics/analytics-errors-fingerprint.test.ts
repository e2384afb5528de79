import { describe, expect, it } from 'vitest';

import { errorFingerprint, fingerprintFrames } from '../../src/analytics/events/fingerprint.js';

const base = {
  errorType: 'OpenSSLError',
  code: 'KS_OPENSSL',
  openssl: [{ reason: 'key size too small' }, { reason: 'other' }],
  stack: [
    'at Object.generate (node:internal/crypto/keygen:10:3)',
    'at generateKeyPairSync (dist/core/keygen.js:42:17)',
    'at <external>:5:1',
    'at run (dist/cli/keygen-command.js:88:9)',
    'at main (dist/cli/main.js:12:3)',
    'at next (dist/cli/other.js:1:1)',
  ],
};

describe('error fingerprints', () => {
  it('hashes the top three in-package frames without line numbers', () => {
    expect(fingerprintFrames(base.stack)).toEqual([
      'at generateKeyPairSync (dist/core/keygen.js)',
      'at run (dist/cli/keygen-command.js)',
      'at main (dist/cli/main.js)',
    ]);
    expect(errorFingerprint(base)).toMatch(/^[0-9a-f]{16}$/);
  });

  it('is stable when only line and column numbers change (a rebuild)', () => {
    const rebuilt = { ...base, stack: base.stack.map((frame) => frame.replace(/:\d+:\d+\)?$/, (m) => (m.endsWith(')') ? ':999:1)' : ':999:1'))) };
    expect(rebuilt.stack).not.toEqual(base.stack);
    expect(errorFingerprint(rebuilt)).toBe(errorFingerprint(base));
  });

  it('ignores frames outside the package and beyond the top three', () => {
    const moved = { ...base, stack: [...base.stack.slice(0, 5), 'at elsewhere (dist/x.js:1:1)'] };
    moved.stack[0] = 'at somethingElse (node:internal/other:1:1)';
    expect(errorFingerprint(moved)).toBe(errorFingerprint(base));
  });

  it('changes with the code, the type, the first OpenSSL reason or an in-package frame', () => {
    const fingerprint = errorFingerprint(base);
    expect(errorFingerprint({ ...base, code: 'KS_INVALID_OPTION' })).not.toBe(fingerprint);
    expect(errorFingerprint({ ...base, errorType: 'KeyscopeError' })).not.toBe(fingerprint);
    expect(errorFingerprint({ ...base, openssl: [{ reason: 'different' }] })).not.toBe(fingerprint);
    expect(errorFingerprint({ ...base, openssl: [{ reason: 'key size too small' }] })).toBe(fingerprint); // only the first reason
    expect(errorFingerprint({ ...base, stack: base.stack.map((f) => f.replace('main.js', 'main2.js')) })).not.toBe(fingerprint);
  });
});
