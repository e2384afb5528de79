/**
 * Which keyscope algorithms have an OpenSSH key type. One row per fixed-size algorithm, plus every rsa-<bits>:
 * the key types OpenSSH generates (ssh-keygen -t ed25519 | ecdsa | rsa). Everything else (x25519 and x448 are
 * key agreement, not SSH keys; ed448 and secp256k1 have no OpenSSH key type; the post-quantum algorithms have
 * none that OpenSSH ships) is refused with KS_FORMAT_UNSUPPORTED.
 */
import { ErrorCodes, InvalidArgumentError } from '../errors.js';

export interface OpenSSHKeyType {
  /** The key type name in the key blob and on an authorized_keys line. */
  name: string;
  /** What `ssh-keygen -l` prints in parentheses after the comment (sshkey_type()). */
  label: 'ED25519' | 'ECDSA' | 'RSA';
}

const fixedSizeTypes: ReadonlyMap<string, OpenSSHKeyType> = new Map([
  ['ed25519', { name: 'ssh-ed25519', label: 'ED25519' }],
  ['ec-p256', { name: 'ecdsa-sha2-nistp256', label: 'ECDSA' }],
  ['ec-p384', { name: 'ecdsa-sha2-nistp384', label: 'ECDSA' }],
  ['ec-p521', { name: 'ecdsa-sha2-nistp521', label: 'ECDSA' }],
]);
const rsaType: OpenSSHKeyType = { name: 'ssh-rsa', label: 'RSA' };
const supportedList = 'ed25519, ec-p256, ec-p384, ec-p521 and rsa-<bits>';

/** The OpenSSH key type of an algorithm id, or null when OpenSSH has none. */
export function openSSHKeyType(algorithm: string): OpenSSHKeyType | null {
  if (/^rsa-\d+$/.test(algorithm)) return rsaType;
  return fixedSizeTypes.get(algorithm) ?? null;
}

/** The row for a key type name as it starts an authorized_keys line ("ssh-ed25519"), or null. */
export function openSSHKeyTypeNamed(name: string): OpenSSHKeyType | null {
  if (name === rsaType.name) return rsaType;
  return [...fixedSizeTypes.values()].find((type) => type.name === name) ?? null;
}

/**
 * Throws KS_FORMAT_UNSUPPORTED unless `algorithm` has an OpenSSH key type. `where` starts the message: the API
 * function's name, or the CLI's option ("--format openssh").
 */
export function requireOpenSSHAlgorithm(algorithm: string, where: string): OpenSSHKeyType {
  const type = openSSHKeyType(algorithm);
  if (type === null) {
    throw new InvalidArgumentError(ErrorCodes.formatUnsupported, `${where}: OpenSSH has no ${algorithm} keys (it has ${supportedList})`);
  }
  return type;
}
