/**
 * The one place that loads sshpk (TritonDataCenter/node-sshpk), which writes keyscope's OpenSSH key files.
 *
 * Why sshpk: it is pure JavaScript (no install script, no native compile, no binary download), it writes
 * "openssh-key-v1" private keys encrypted exactly as ssh-keygen does (bcrypt-pbkdf with 16 rounds and a 16-byte
 * salt, then aes256-ctr, which it takes as an option), reads the PKCS#8/SPKI keys OpenSSL exports for every key
 * type OpenSSH has, and has been writing keys ssh-keygen reads for years (it is the SSH key layer under
 * http-signature and Triton). ssh2 was the alternative: it has an optional native dependency that compiles at
 * install, and no public writer for a key it did not generate. node-forge writes RSA only.
 *
 * Loading it costs about 30 ms, so it is loaded on the first OpenSSH export, never on `import 'keyscope'`.
 */
import { createRequire } from 'node:module';

import type sshpkModule from 'sshpk';

export type Sshpk = typeof sshpkModule;

let loaded: Sshpk | undefined;

export function sshpk(): Sshpk {
  loaded ??= createRequire(import.meta.url)('sshpk') as Sshpk;
  return loaded;
}
