/** `keyscope keygen <algorithm>`. */
import { type Command, Option } from 'commander';

import { isAlgorithmId } from '../../core/index.js';
import type { CommandContext } from '../command-context.js';
import type { KeygenCommandOptions } from '../keygen-command.js';

export function register(program: Command, { io, analytics }: CommandContext): void {
  const keygen = program
    .command('keygen')
    .description('generate a key pair; the public key goes to stdout, the private key only where --out says')
    .argument('<algorithm>', 'algorithm id, e.g. ed25519, ec-p256, rsa-3072 (see "keyscope algorithms")')
    .option('--out <file>', 'write the private key (PKCS#8, or an OpenSSH key file) to FILE with mode 0600, or to stdout with "-"')
    .option('--pub-out <file>', 'write the public key (SPKI, or an authorized_keys line) to FILE instead of stdout ("-" for stdout)')
    .addOption(new Option('--format <format>', 'key encoding').choices(['pem', 'der', 'jwk', 'openssh']).default('pem'))
    .option('--comment <text>', 'the key comment, with --format openssh (default "keyscope@<algorithm>")')
    .option('--passphrase-env <var>', 'encrypt the private key with the passphrase in environment variable VAR')
    .option('--force', 'replace existing files')
    .option('--json', 'print a JSON description (with the fingerprint) instead of raw keys')
    .option('--allow-weak', 'allow RSA moduli from 1024 to 2047 bits')
    .action(async (algorithm: string, options: KeygenCommandOptions) => (await import('../keygen-command.js')).runKeygen(algorithm, options, io));

  // Only a known algorithm id and one of the formats: a mistyped algorithm is what someone typed. Never the
  // comment: it is free text (often a person's or a machine's name).
  analytics.declare(keygen, {
    values: (command) => {
      const algorithm: unknown = command.processedArgs[0];
      const format: unknown = command.getOptionValue('format');
      return {
        ...(isAlgorithmId(algorithm) ? { algorithm } : {}),
        ...(format === 'pem' || format === 'der' || format === 'jwk' || format === 'openssh' ? { format } : {}),
      };
    },
  });
}
