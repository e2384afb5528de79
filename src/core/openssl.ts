/** Which OpenSSL keyscope runs on: always the one inside the Node process, shared with node:crypto. */
import { native } from './native/binding.js';

export interface OpenSSLInfo {
  /** The OpenSSL the process runs (Node's own). */
  version: string;
  /** The OpenSSL headers the addon was compiled against. */
  headerVersion: string;
  /** Providers loaded in the default library context. */
  providers: string[];
  /** process.versions.openssl: node:crypto's OpenSSL, which must be the same library. */
  nodeCryptoVersion: string;
}

export function opensslInfo(): OpenSSLInfo {
  const raw = native.opensslInfo();
  return { ...raw, providers: [...raw.providers], nodeCryptoVersion: process.versions.openssl };
}
