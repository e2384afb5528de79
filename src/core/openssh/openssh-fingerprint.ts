/**
 * `ssh-keygen -l -f key.pub` for one authorized_keys line, in JavaScript: "256 SHA256:… comment (ED25519)".
 * The line is read as ssh-keygen reads it (sshkey_read, then do_fingerprint): leading blanks skipped, the key
 * type, the base64 key blob, and as comment whatever follows the blanks after it, unless that is empty or starts
 * with "#" ("no comment"). The fingerprint is SHA-256 over the key blob, base64 without padding.
 */
import { createHash } from 'node:crypto';

import { ErrorCodes, InvalidArgumentError } from '../errors.js';
import { openSSHKeyTypeNamed } from './openssh-algorithms.js';
import { sshpk } from './sshpk.js';

const linePattern = /^[ \t]*(\S+)[ \t]+([A-Za-z0-9+/]+={0,2})(?:[ \t]+(.*))?$/;

function notAPublicKey(why: string): InvalidArgumentError {
  // Never echo the line: it is the caller's text, and a private key pasted in the wrong place must not reach a log.
  return new InvalidArgumentError(ErrorCodes.invalidOption, `opensshFingerprint: ${why}`);
}

export function opensshFingerprint(publicKeyLine: string): string {
  if (typeof publicKeyLine !== 'string') throw notAPublicKey('the public key must be a string (an authorized_keys line)');
  const line = publicKeyLine.endsWith('\n') ? publicKeyLine.slice(0, -1) : publicKeyLine;
  const match = line.includes('\n') ? null : linePattern.exec(line);
  if (match === null) throw notAPublicKey('not one OpenSSH public key line ("ssh-ed25519 AAAA… comment")');
  const [, typeName, base64, rest] = match as unknown as [string, string, string, string | undefined];
  const type = openSSHKeyTypeNamed(typeName);
  if (type === null) throw notAPublicKey('not an ed25519, ecdsa or rsa public key');
  const blob = Buffer.from(base64, 'base64');
  let bits: number;
  try {
    const key = sshpk().parseKey(blob, 'rfc4253');
    // The blob names its own type; ssh-keygen refuses a line whose first word says another.
    if (key.toString('ssh').split(' ')[0] !== typeName) throw new Error('type mismatch');
    bits = key.size;
  } catch {
    throw notAPublicKey(`the key blob is not a valid ${typeName} key`);
  }
  const comment = rest === undefined || rest === '' || rest.startsWith('#') ? 'no comment' : rest;
  const hash = createHash('sha256').update(blob).digest('base64').replace(/=+$/, '');
  return `${bits} SHA256:${hash} ${comment} (${type.label})`;
}
