/** `keyscope info`: the runtime and the OpenSSL keyscope runs on, and which post-quantum keys that OpenSSL has. */
import type { Command } from 'commander';

import { keyscopeVersion, listAlgorithms, opensslInfo } from '../../core/index.js';
import type { CommandContext } from '../command-context.js';

/** The post-quantum families, as listAlgorithms names them, with the names people know them by. */
const postQuantumFamilies = { 'ml-kem': 'ML-KEM', 'ml-dsa': 'ML-DSA', 'slh-dsa': 'SLH-DSA' } as const;

function postQuantumSupport(): { supported: string[]; unsupported: string[] } {
  const algorithms = listAlgorithms().filter((a) => a.family in postQuantumFamilies);
  return {
    supported: algorithms.filter((a) => a.supported).map((a) => a.id),
    unsupported: algorithms.filter((a) => !a.supported).map((a) => a.id),
  };
}

function postQuantumLine(support: { supported: string[] }, openssl: string): string {
  if (support.supported.length === 0) {
    return `post-quantum keys: none on OpenSSL ${openssl} (ML-KEM, ML-DSA and SLH-DSA need OpenSSL 3.5, as in Node 24)`;
  }
  const families = Object.entries(postQuantumFamilies)
    .filter(([family]) => support.supported.some((id) => id.startsWith(`${family}-`)))
    .map(([, name]) => name);
  return `post-quantum keys: ${families.join(', ')} (${support.supported.length} parameter sets)`;
}

export function register(program: Command, { io }: CommandContext): void {
  program
    .command('info')
    .description("show the runtime and the OpenSSL keyscope runs on (always node:crypto's own)")
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const info = opensslInfo();
      const postQuantum = postQuantumSupport();
      if (options.json) {
        const described = { keyscope: keyscopeVersion, node: process.versions.node, ...info, postQuantum };
        io.stdout.write(`${JSON.stringify(described, null, 2)}\n`);
        return;
      }
      io.stdout.write(`keyscope ${keyscopeVersion} on Node ${process.versions.node}\n`);
      io.stdout.write(`OpenSSL ${info.version} (headers ${info.headerVersion}; node:crypto ${info.nodeCryptoVersion})\n`);
      io.stdout.write(`providers: ${info.providers.join(', ')}\n`);
      io.stdout.write(`${postQuantumLine(postQuantum, info.version)}\n`);
    });
}
