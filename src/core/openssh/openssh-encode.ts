/**
 * OpenSSH's own encodings of a key OpenSSL made: the private key as an "openssh-key-v1" file (what ssh-keygen
 * writes), the public key as an authorized_keys line. Both start from OpenSSL's PKCS#8/SPKI PEM.
 */
import { sshpk } from './sshpk.js';

/** ssh-keygen's cipher for new keys (its KDF, bcrypt-pbkdf with 16 rounds, is sshpk's own). */
const cipher = 'aes256-ctr';

export interface OpenSSHPrivateKeyOptions {
  comment: string;
  /** Encrypts with bcrypt-pbkdf and aes256-ctr; the caller wipes it. */
  passphrase?: Buffer;
}

/** The "-----BEGIN OPENSSH PRIVATE KEY-----" file for a PKCS#8 PEM private key (which the caller wipes). */
export function encodeOpenSSHPrivateKey(pkcs8Pem: Buffer, options: OpenSSHPrivateKeyOptions): string {
  const key = sshpk().parsePrivateKey(pkcs8Pem, 'pkcs8');
  try {
    key.comment = options.comment;
    const file = key.toBuffer('ssh-private', options.passphrase === undefined ? undefined : { passphrase: options.passphrase, cipher });
    try {
      return file.toString('latin1');
    } finally {
      file.fill(0);
    }
  } finally {
    // The parsed key's parts hold the private values as Buffers of their own: wiped like keyscope's DER copies.
    for (const part of key.parts) part.data.fill(0);
  }
}

/** The authorized_keys line ("ssh-ed25519 AAAA… comment\n") for an SPKI PEM public key. */
export function encodeOpenSSHPublicKey(spkiPem: Buffer, comment: string): string {
  const key = sshpk().parseKey(spkiPem, 'pkcs8');
  key.comment = comment;
  return `${key.toString('ssh')}\n`;
}
