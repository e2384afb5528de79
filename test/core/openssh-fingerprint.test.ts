/**
 * opensshFingerprint(line) prints what `ssh-keygen -l -f key.pub` prints, checked on keys ssh-keygen made
 * (test/fixtures/openssh, with what ssh-keygen printed for them) and on lines shaped as ssh-keygen reads them.
 */
import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { ErrorCodes, InvalidArgumentError, opensshFingerprint } from '../../src/index.js';

const vectors = JSON.parse(readFileSync(new URL('../fixtures/openssh/ssh-keygen-fingerprints.json', import.meta.url), 'utf8')) as {
  line: string;
  fingerprint: string;
}[];

describe('opensshFingerprint', () => {
  it.each(vectors.map((vector) => [vector.fingerprint, vector.line]))('prints %s, as ssh-keygen -l did', (fingerprint, line) => {
    expect(opensshFingerprint(line)).toBe(fingerprint);
  });

  it('reads the line as ssh-keygen does: leading blanks skipped, the comment is everything after the blanks', () => {
    const { line } = vectors[0]!;
    const [type, blob] = line.split(' ');
    const hash = vectors[0]!.fingerprint.split(' ')[1];
    expect(opensshFingerprint(`\t ${type} ${blob}\t  a  spaced\tcomment`)).toBe(`256 ${hash} a  spaced\tcomment (ED25519)`);
    expect(opensshFingerprint(`${type} ${blob}`)).toBe(`256 ${hash} no comment (ED25519)`);
    expect(opensshFingerprint(`${type} ${blob} #x`)).toBe(`256 ${hash} no comment (ED25519)`);
  });

  const blob = vectors[0]!.line.split(' ')[1]!;
  it.each([
    ['an empty string', '', null],
    ['two lines', `${vectors[0]!.line}${vectors[1]!.line}`, blob],
    ['a private key', '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmU=\n-----END OPENSSH PRIVATE KEY-----\n', 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmU='],
    ['a key type OpenSSH keys of keyscope are not', 'ssh-dss AAAAB3NzaC1kc3MAAACBAP comment', 'AAAAB3NzaC1kc3MAAACBAP'],
    ['a blob of another type than the line says', `ssh-rsa ${blob} x`, blob],
    ['a truncated blob', `ssh-ed25519 ${blob.slice(0, 40)} x`, blob.slice(0, 40)],
  ])('refuses %s with KS_INVALID_OPTION, without quoting it', (_, line, quoted) => {
    let error: unknown;
    try {
      opensshFingerprint(line);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect(error).toMatchObject({ code: ErrorCodes.invalidOption, message: expect.stringMatching(/^opensshFingerprint: [^\n]+$/) });
    if (quoted !== null) expect((error as Error).message).not.toContain(quoted);
  });

  it('refuses a value that is not a string', () => {
    expect(() => opensshFingerprint(42 as unknown as string)).toThrow(/must be a string/);
  });
});
