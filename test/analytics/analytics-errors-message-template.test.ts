/**
 * An error group's message is a template: keyscope's, OpenSSL's or V8's words, with every value the person typed
 * or owns replaced by a placeholder, so a group can be read without the message quoting anything of theirs.
 */
import { homedir, userInfo } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { errorEventFrom } from '../../src/analytics/capture/error-event.js';
import { maxTemplateLength, messageTemplate } from '../../src/analytics/capture/privacy/message-template.js';
import { ErrorCodes, KeyscopeError, OpenSSLError } from '../../src/core/errors.js';

describe('messageTemplate', () => {
  it.each([
    ['keyscope store /srv/zebra/runs.duckdb is corrupt (truncated to 812 bytes, shorter than DuckDB\'s headers); it was not modified', 'keyscope store <path> is corrupt (truncated to <n> bytes, shorter than DuckDB\'s headers); it was not modified'],
    ['cannot read keyscope store C:\\Users\\zebra\\x.duckdb: EACCES', 'cannot read keyscope store <path>: EACCES'],
    ['key generation failed for rsa-4096', 'key generation failed for rsa-<n>'],
    ['EVP_PKEY_keygen failed for rsa-4096 at iteration 17', 'EVP_PKEY_keygen failed for rsa-<n> at iteration <n>'],
    ["Cannot read properties of undefined (reading 'zebraField')", 'Cannot read properties of undefined (reading <value>)'],
    ['Unexpected token, "zebra secret" is not valid JSON', 'Unexpected token, <value> is not valid JSON'],
    ['analytics database zebra.duckdb is damaged (IO Error: Could not read 4096 bytes at offset 0x1f00aa)', 'analytics database <path> is damaged (IO Error: Could not read <n> bytes at offset <hex>)'],
    ['webhook https://zebra:pw@example.com/hook answered 500', 'webhook <url> answered <n>'],
    ['token zebra123 value=zebra me@zebra.example ZEBRA9 ключ ERR_OSSL_EVP_BAD_DECRYPT', 'token <value> <value> <value> <value> <value> ERR_OSSL_EVP_BAD_DECRYPT'],
  ])('%s', (message, template) => {
    expect(messageTemplate(message)).toBe(template);
  });

  it('removes the home, user and key material, and stays one short line', () => {
    const home = homedir();
    const user = userInfo().username;
    const template = messageTemplate(`cannot open ${join(home, 'work', 'zebra.pem')}\nfor ${user}: -----BEGIN PRIVATE KEY----- MC4CAQAwBQYDK2VwBCIEIPr9oLq0nAHwv1HV6rhBG4RX0N7b9lYl2HYR5JcAkq7X ${'word '.repeat(100)}`);
    expect(template).not.toContain('\n');
    expect(template).not.toContain(home);
    expect(template).not.toContain('zebra');
    expect(template).not.toContain('MC4CAQ');
    if (user.length >= 3 && user !== 'root') expect(template).not.toContain(user);
    expect(template.length).toBeLessThanOrEqual(maxTemplateLength);
    expect(template.startsWith('cannot open <path> for')).toBe(true);
  });
});

describe('error events of failures carry the template', () => {
  it('for an OpenSSL failure, a keyscope failure and an internal error', () => {
    const openssl = errorEventFrom(new OpenSSLError('RSA key generation of 4096 bits failed', [{ library: 'rsa routines', reason: 'internal error', code: 1 }]), { operation: 'api generateKeyPair' });
    expect(openssl.message).toBe('RSA key generation of <n> bits failed');
    const store = errorEventFrom(new KeyscopeError(ErrorCodes.storeCorrupt, 'keyscope store /srv/zebra/runs.duckdb is corrupt (missing table samples); it was not modified'), { operation: 'cli runs list' });
    expect(store.message).toBe('keyscope store <path> is corrupt (missing table samples); it was not modified');
    const internal = errorEventFrom(new TypeError("Cannot read properties of null (reading 'zebra')"), { operation: 'cli compare' });
    expect(internal.message).toBe('Cannot read properties of null (reading <value>)');
  });
});
