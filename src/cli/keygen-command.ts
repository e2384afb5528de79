/** `keyscope keygen <alg>`: generates a key pair and writes it where asked, never printing the private key by default. */
import { createHash, type JsonWebKey } from 'node:crypto';

import {
  ErrorCodes,
  generateKeyPairFromArgument,
  InvalidArgumentError,
  type KeyFormat,
  type KeyPair,
  KeyscopeError,
  opensshFingerprint,
} from '../core/index.js';
import { inCliTerms } from './cli-terms.js';
import type { CliIO } from './command-context.js';
import { checkOpenSSHRequest } from './keygen-openssh.js';
import { assertWritable, type FileToWrite, writeFilesAtomically } from './write-files.js';

export interface KeygenCommandOptions {
  out?: string;
  pubOut?: string;
  format: KeyFormat;
  /** --format openssh only. */
  comment?: string;
  passphraseEnv?: string;
  force?: boolean;
  json?: boolean;
  allowWeak?: boolean;
}

type Serialized = string | Buffer | JsonWebKey;

function toBytes(value: Serialized): string | Buffer {
  return typeof value === 'string' || Buffer.isBuffer(value) ? value : `${JSON.stringify(value, null, 2)}\n`;
}

function forJson(value: Serialized): unknown {
  return Buffer.isBuffer(value) ? value.toString('base64') : value;
}

function readPassphrase(options: KeygenCommandOptions, env: NodeJS.ProcessEnv): string | undefined {
  if (options.passphraseEnv === undefined) return undefined;
  if (options.format === 'jwk') {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, '--passphrase-env cannot be used with --format jwk: a JWK has no encryption');
  }
  if (options.out === undefined) {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, '--passphrase-env encrypts the private key, which is only written with --out');
  }
  const passphrase = env[options.passphraseEnv];
  if (!passphrase) {
    throw new KeyscopeError(ErrorCodes.missingPassphrase, `environment variable ${options.passphraseEnv} is not set or empty`);
  }
  return passphrase;
}

export async function runKeygen(algorithm: string, options: KeygenCommandOptions, io: Pick<CliIO, 'stdout' | 'stderr' | 'env'>): Promise<void> {
  const comment = checkOpenSSHRequest(algorithm, options);
  const passphrase = readPassphrase(options, io.env);
  const privateToStdout = options.out === '-';
  const publicToStdout = options.pubOut === '-' || (options.pubOut === undefined && !privateToStdout);
  const filePaths = [options.out, options.pubOut].filter((p): p is string => p !== undefined && p !== '-');
  if (privateToStdout && options.pubOut === '-') {
    throw new InvalidArgumentError(ErrorCodes.invalidOption, '--out - and --pub-out - cannot both use stdout');
  }
  if (options.format === 'der' && !options.json && io.stdout.isTTY && (privateToStdout || publicToStdout)) {
    throw new KeyscopeError(ErrorCodes.unsafeOutput, 'refusing to write binary DER to a terminal: use --out/--pub-out FILE, --json, or redirect stdout');
  }
  assertWritable(filePaths, options.force ?? false);

  const pair = await generateKeyPairFromArgument(algorithm, { allowWeak: options.allowWeak ?? false }).catch(inCliTerms);
  try {
    // One comment for both files: the one given, else the library's default (the same for both exports).
    const exportOptions = comment === undefined ? { format: options.format } : { format: options.format, comment };
    const publicKey: Serialized = pair.exportPublicKey(exportOptions);
    const privateKey: Serialized | undefined =
      options.out === undefined ? undefined : pair.exportPrivateKey({ ...exportOptions, ...(passphrase ? { passphrase } : {}) });
    // What `ssh-keygen -l -f KEY.pub` prints for the public key just written.
    const sshFingerprint = options.format === 'openssh' ? opensshFingerprint(publicKey as string) : undefined;

    const files: FileToWrite[] = [];
    if (options.out !== undefined && !privateToStdout) files.push({ path: options.out, data: toBytes(privateKey!), mode: 0o600 });
    if (options.pubOut !== undefined && options.pubOut !== '-') files.push({ path: options.pubOut, data: toBytes(publicKey), mode: 0o644 });
    writeFilesAtomically(files, options.force ?? false);

    if (options.json) {
      const described = describe(pair, options, { publicKey, privateKey, publicToStdout, privateToStdout, encrypted: !!passphrase, sshFingerprint });
      io.stdout.write(`${JSON.stringify(described, null, 2)}\n`);
      return;
    }
    if (privateToStdout) io.stdout.write(toBytes(privateKey!));
    if (publicToStdout) io.stdout.write(toBytes(publicKey));
    // As ssh-keygen does, the fingerprint is shown; on stderr when stdout carries a key, so a pipe gets the key alone.
    if (sshFingerprint !== undefined) (privateToStdout || publicToStdout ? io.stderr : io.stdout).write(`${sshFingerprint}\n`);
  } finally {
    pair.release();
  }
}

function describe(
  pair: KeyPair,
  options: KeygenCommandOptions,
  out: {
    publicKey: Serialized;
    privateKey: Serialized | undefined;
    publicToStdout: boolean;
    privateToStdout: boolean;
    encrypted: boolean;
    /** --format openssh: ssh-keygen -l's line, which replaces the SPKI fingerprint. */
    sshFingerprint: string | undefined;
  },
): Record<string, unknown> {
  return {
    algorithm: pair.algorithm,
    format: options.format,
    fingerprint: out.sshFingerprint ?? spkiFingerprint(pair),
    encrypted: out.encrypted,
    privateKeyFile: options.out !== undefined && !out.privateToStdout ? options.out : null,
    publicKeyFile: options.pubOut !== undefined && options.pubOut !== '-' ? options.pubOut : null,
    ...(out.publicToStdout ? { publicKey: forJson(out.publicKey) } : {}),
    ...(out.privateToStdout ? { privateKey: forJson(out.privateKey!) } : {}),
  };
}

/** The SHA-256 of the DER SPKI, base64url: the fingerprint of the pem, der and jwk formats. */
function spkiFingerprint(pair: KeyPair): string {
  return `SHA256:${createHash('sha256').update(pair.exportPublicKey({ format: 'der' })).digest('base64url')}`;
}
