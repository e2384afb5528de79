/**
 * exportPrivateKey/exportPublicKey({ format: 'openssh' }): the "openssh-key-v1" file and the authorized_keys line,
 * checked against node:crypto's view of the same key (the key blob rebuilt from its JWK), and the file's header
 * against what ssh-keygen writes (aes256-ctr, bcrypt with 16 rounds and a 16-byte salt). ssh-keygen itself reads
 * the files in test/cli/cli-keygen-openssh-files.test.ts.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { type AlgorithmId, ErrorCodes, generateKeyPairSync, InvalidArgumentError, listAlgorithms } from '../../src/index.js';
import { readOpenSSHKeyHeader, readPlainPrivateSection, sshKeygen, typeAndBlob } from '../support/ssh-keygen.js';

const dir = mkdtempSync(join(tmpdir(), 'keyscope-openssh-api-'));

function sshString(bytes: Buffer | string): Buffer {
  const body = typeof bytes === 'string' ? Buffer.from(bytes, 'latin1') : bytes;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

/** RFC 4251 mpint from an unsigned big-endian integer: no leading zeros, one zero byte if the top bit is set. */
function sshMpint(unsigned: Buffer): Buffer {
  let start = 0;
  while (start < unsigned.length - 1 && unsigned[start] === 0) start++;
  const trimmed = unsigned.subarray(start);
  return sshString(trimmed[0]! & 0x80 ? Buffer.concat([Buffer.from([0]), trimmed]) : trimmed);
}

const b64url = (value: string | undefined) => Buffer.from(value!, 'base64url');

/** The SSH public key blob (RFC 4253, RFC 5656, RFC 8709) built from node:crypto's JWK of the same key. */
function expectedBlob(id: AlgorithmId, pair: ReturnType<typeof generateKeyPairSync>): Buffer {
  const jwk = pair.exportPublicKey({ format: 'jwk' });
  if (id === 'ed25519') return Buffer.concat([sshString('ssh-ed25519'), sshString(b64url(jwk.x))]);
  if (id.startsWith('ec-')) {
    const curve = `nistp${id.slice('ec-p'.length)}`;
    const point = Buffer.concat([Buffer.from([4]), b64url(jwk.x), b64url(jwk.y)]);
    return Buffer.concat([sshString(`ecdsa-sha2-${curve}`), sshString(curve), sshString(point)]);
  }
  return Buffer.concat([sshString('ssh-rsa'), sshMpint(b64url(jwk.e)), sshMpint(b64url(jwk.n))]);
}

const sshTypes: Record<string, string> = {
  ed25519: 'ssh-ed25519',
  'ec-p256': 'ecdsa-sha2-nistp256',
  'ec-p384': 'ecdsa-sha2-nistp384',
  'ec-p521': 'ecdsa-sha2-nistp521',
  'rsa-2048': 'ssh-rsa',
  'rsa-2056': 'ssh-rsa',
};

describe.each(Object.keys(sshTypes) as AlgorithmId[])('%s in OpenSSH format', (id) => {
  const pair = generateKeyPairSync(id);
  const type = sshTypes[id]!;

  it('exports the public key as an authorized_keys line with the default comment', () => {
    const line = pair.exportPublicKey({ format: 'openssh' });
    const [lineType, base64, comment, ...rest] = line.replace(/\n$/, '').split(' ');
    expect(line.endsWith('\n') && !line.slice(0, -1).includes('\n')).toBe(true);
    expect(lineType).toBe(type);
    expect(Buffer.from(base64!, 'base64').equals(expectedBlob(id, pair))).toBe(true);
    expect(comment).toBe(`keyscope@${id}`);
    expect(rest).toEqual([]);
  });

  it('exports an unencrypted openssh-key-v1 file holding the same public key and the comment', () => {
    const file = pair.exportPrivateKey({ format: 'openssh', comment: 'deploy key 7' });
    expect(file).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n([A-Za-z0-9+/=]{1,70}\n)+-----END OPENSSH PRIVATE KEY-----\n$/);
    const header = readOpenSSHKeyHeader(file);
    expect(header).toMatchObject({ cipher: 'none', kdf: 'none', kdfOptions: null, keys: 1 });
    expect(Buffer.from(header.publicKey, 'base64').equals(expectedBlob(id, pair))).toBe(true);
    const section = readPlainPrivateSection(header.privateSection);
    expect(section.check1).toBe(section.check2);
    expect(section).toMatchObject({ type, comment: 'deploy key 7' });
    // Padded with 1, 2, 3, ... to the block size, 8 bytes without a cipher (as ssh-keygen pads).
    expect(header.privateSection.length % 8).toBe(0);
    expect([...section.padding]).toEqual(Array.from({ length: section.padding.length }, (_, i) => i + 1));
  });

  it("encrypts as ssh-keygen does: bcrypt-pbkdf with 16 rounds and a fresh 16-byte salt, then aes256-ctr", () => {
    const first = readOpenSSHKeyHeader(pair.exportPrivateKey({ format: 'openssh', passphrase: 'correct horse' }));
    const second = readOpenSSHKeyHeader(pair.exportPrivateKey({ format: 'openssh', passphrase: Buffer.from('correct horse') }));
    for (const header of [first, second]) {
      expect(header).toMatchObject({ cipher: 'aes256-ctr', kdf: 'bcrypt', keys: 1 });
      expect(header.kdfOptions?.rounds).toBe(16);
      expect(header.kdfOptions?.salt.length).toBe(16);
      expect(header.privateSection.length % 16).toBe(0); // aes256-ctr's block size
      expect(Buffer.from(header.publicKey, 'base64').equals(expectedBlob(id, pair))).toBe(true);
    }
    expect(first.kdfOptions!.salt.equals(second.kdfOptions!.salt)).toBe(false);
  });
});

describe('an OpenSSH export read back by ssh-keygen', () => {
  it('opens with the Buffer passphrase it was encrypted with, and derives the same public key', async () => {
    const pair = generateKeyPairSync('ed25519');
    const passphrase = Buffer.from('pässphrase from a Buffer');
    const path = join(dir, 'api-ed25519');
    writeFileSync(path, pair.exportPrivateKey({ format: 'openssh', passphrase }), { mode: 0o600 });
    expect(passphrase.toString()).toBe('pässphrase from a Buffer'); // keyscope wipes its own copy, not the caller's
    const derived = await sshKeygen(['-y', '-P', 'pässphrase from a Buffer', '-f', path]);
    expect(derived.status, derived.stderr).toBe(0);
    expect(typeAndBlob(derived.stdout)).toBe(typeAndBlob(pair.exportPublicKey({ format: 'openssh' })));
  });
});

describe('OpenSSH export options', () => {
  const pair = generateKeyPairSync('ed25519');

  it('takes a comment, or none: an empty comment leaves the line with the key alone', () => {
    expect(pair.exportPublicKey({ format: 'openssh', comment: 'alice@laptop' })).toMatch(/^ssh-ed25519 [A-Za-z0-9+/=]+ alice@laptop\n$/);
    expect(pair.exportPublicKey({ format: 'openssh', comment: '' })).toMatch(/^ssh-ed25519 [A-Za-z0-9+/=]+\n$/);
    const file = pair.exportPrivateKey({ format: 'openssh', comment: '' });
    expect(readPlainPrivateSection(readOpenSSHKeyHeader(file).privateSection).comment).toBe('');
  });

  it.each([
    ['a newline', 'two\nlines', /printable ASCII on one line/],
    ['a tab', 'a\tb', /printable ASCII on one line/],
    ['a non-ASCII letter', 'josé@laptop', /printable ASCII on one line/],
    ['a leading "#"', '#deploy', /must not start with "#"/],
    ['a leading space', ' deploy', /must not start or end with a space/],
    ['a trailing space', 'deploy ', /must not start or end with a space/],
    ['256 characters', 'x'.repeat(256), /at most 255 characters/],
    ['a number', 42, /must be a string/],
  ])('refuses a comment with %s, naming the option', (_, comment, message) => {
    for (const call of [
      () => pair.exportPublicKey({ format: 'openssh', comment: comment as string }),
      () => pair.exportPrivateKey({ format: 'openssh', comment: comment as string }),
    ]) {
      expect(call).toThrow(InvalidArgumentError);
      expect(call).toThrow(expect.objectContaining({ code: ErrorCodes.invalidOption, message: expect.stringMatching(message) }));
      expect(call).toThrow(/option "comment"/);
    }
  });

  it('refuses a comment with another format, where it would vanish', () => {
    expect(() => pair.exportPublicKey({ format: 'pem', comment: 'x' })).toThrow(/exportPublicKey: option "comment" is only for format "openssh"/);
    expect(() => pair.exportPrivateKey({ comment: 'x' })).toThrow(expect.objectContaining({ code: ErrorCodes.invalidOption }));
  });

  it('keeps the formats error naming every format', () => {
    expect(() => pair.exportPublicKey({ format: 'ssh' as 'pem' })).toThrow(/must be "pem", "der", "jwk" or "openssh"/);
  });

  it('refuses after release() like every export', () => {
    const released = generateKeyPairSync('ec-p256');
    released.release();
    expect(() => released.exportPrivateKey({ format: 'openssh' })).toThrow(expect.objectContaining({ code: ErrorCodes.keyReleased }));
    expect(() => released.exportPublicKey({ format: 'openssh' })).toThrow(expect.objectContaining({ code: ErrorCodes.keyReleased }));
  });
});

describe('algorithms OpenSSH has no keys of', () => {
  const unsupported = listAlgorithms()
    .filter((info) => info.supported && !['ed25519', 'ec-p256', 'ec-p384', 'ec-p521'].includes(info.id) && !info.id.startsWith('rsa-'))
    .map((info) => info.id);

  it('include every non-RSA, non-OpenSSH algorithm this OpenSSL generates', () => {
    expect(unsupported).toEqual(expect.arrayContaining(['x25519', 'x448', 'ed448', 'ec-secp256k1']));
  });

  it.each(unsupported)('%s: both exports refuse with KS_FORMAT_UNSUPPORTED, one line naming what OpenSSH has', (id) => {
    const pair = generateKeyPairSync(id);
    for (const call of [() => pair.exportPrivateKey({ format: 'openssh' }), () => pair.exportPublicKey({ format: 'openssh' })]) {
      expect(call).toThrow(InvalidArgumentError);
      expect(call).toThrow(expect.objectContaining({ code: ErrorCodes.formatUnsupported }));
    }
    let message = '';
    try {
      pair.exportPrivateKey({ format: 'openssh', passphrase: 'secret' });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe(`exportPrivateKey: OpenSSH has no ${id} keys (it has ed25519, ec-p256, ec-p384, ec-p521 and rsa-<bits>)`);
    pair.release();
  });
});
