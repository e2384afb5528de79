/**
 * Debian's `ssh-keygen` (openssh-client, which .ci/run installs) as the reader that judges keyscope's OpenSSH
 * files, and a reader of the unencrypted header of an "openssh-key-v1" file (PROTOCOL.key in OpenSSH's sources)
 * for what ssh-keygen does not print: the cipher, the KDF and its rounds.
 */
import { execFile } from 'node:child_process';

export const sshKeygenPath = '/usr/bin/ssh-keygen';

export interface SshKeygenResult {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs ssh-keygen with stdin closed, so that a key it cannot open fails instead of prompting. */
export function sshKeygen(args: string[], options: { input?: string } = {}): Promise<SshKeygenResult> {
  return new Promise((resolve) => {
    const child = execFile(sshKeygenPath, args, { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C.UTF-8' } }, (error, stdout, stderr) => {
      const code = error ? (error as { code?: unknown }).code : 0;
      resolve({ status: typeof code === 'number' ? code : 1, stdout, stderr });
    });
    // ssh-keygen may exit before it reads its input (a key it cannot open): that pipe error is not the test's.
    child.stdin?.on('error', () => {});
    child.stdin?.end(options.input ?? '');
  });
}

/** "ssh-ed25519 AAAA…" of a public key line or ssh-keygen -y output: the type and the key blob, without the comment. */
export function typeAndBlob(line: string): string {
  return line.trim().split(/\s+/).slice(0, 2).join(' ');
}

export interface OpenSSHKeyHeader {
  cipher: string;
  kdf: string;
  /** bcrypt's salt and rounds; null for kdf "none". */
  kdfOptions: { salt: Buffer; rounds: number } | null;
  keys: number;
  /** The public key blob, as base64 (what an authorized_keys line carries). */
  publicKey: string;
  /** The private section, encrypted unless cipher is "none". */
  privateSection: Buffer;
}

function reader(bytes: Buffer) {
  let offset = 0;
  const uint32 = () => {
    const value = bytes.readUInt32BE(offset);
    offset += 4;
    return value;
  };
  const string = () => {
    const length = uint32();
    const value = bytes.subarray(offset, offset + length);
    if (value.length !== length) throw new Error('truncated openssh-key-v1 file');
    offset += length;
    return value;
  };
  return { uint32, string, take: (length: number) => bytes.subarray(offset, (offset += length)), rest: () => bytes.length - offset };
}

export function readOpenSSHKeyHeader(file: string): OpenSSHKeyHeader {
  const match = /^-----BEGIN OPENSSH PRIVATE KEY-----\n([A-Za-z0-9+/=\n]+)-----END OPENSSH PRIVATE KEY-----\n$/.exec(file);
  if (!match) throw new Error('not an OpenSSH private key file');
  const bytes = Buffer.from(match[1]!.replace(/\n/g, ''), 'base64');
  const magic = Buffer.from('openssh-key-v1\0', 'latin1');
  if (!bytes.subarray(0, magic.length).equals(magic)) throw new Error('bad magic');
  const read = reader(bytes.subarray(magic.length));
  const cipher = read.string().toString('latin1');
  const kdf = read.string().toString('latin1');
  const options = read.string();
  let kdfOptions: OpenSSHKeyHeader['kdfOptions'] = null;
  if (kdf === 'bcrypt') {
    const optionsReader = reader(options);
    kdfOptions = { salt: Buffer.from(optionsReader.string()), rounds: optionsReader.uint32() };
  }
  const keys = read.uint32();
  const publicKey = read.string().toString('base64');
  const privateSection = Buffer.from(read.string());
  if (read.rest() !== 0) throw new Error('bytes after the private section');
  return { cipher, kdf, kdfOptions, keys, publicKey, privateSection };
}

/** The fields of an unencrypted private section: both check words, the key type and, last, the comment. */
export function readPlainPrivateSection(section: Buffer): { check1: number; check2: number; type: string; comment: string; padding: Buffer } {
  const read = reader(section);
  const check1 = read.uint32();
  const check2 = read.uint32();
  const type = read.string().toString('latin1');
  // The private fields differ by type (ed25519: 2 strings; ecdsa: 3; rsa: 6), then the comment, then padding.
  const fieldCount = type === 'ssh-ed25519' ? 2 : type === 'ssh-rsa' ? 6 : 3;
  for (let i = 0; i < fieldCount; i++) read.string();
  const comment = read.string().toString('utf8');
  return { check1, check2, type, comment, padding: Buffer.from(read.take(read.rest())) };
}
