/** `keyscope algorithms`: the algorithm table, and whether this OpenSSL supports each. */
import type { Command } from 'commander';

import { listAlgorithms } from '../../core/index.js';
import type { CommandContext } from '../command-context.js';

export function register(program: Command, { io }: CommandContext): void {
  program
    .command('algorithms')
    .description('list the algorithms and whether this OpenSSL supports them')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const algorithms = listAlgorithms();
      if (options.json) {
        io.stdout.write(`${JSON.stringify(algorithms, null, 2)}\n`);
        return;
      }
      const idWidth = Math.max(...algorithms.map((a) => a.id.length));
      const familyWidth = Math.max(...algorithms.map((a) => a.family.length));
      for (const a of algorithms) {
        const status = a.supported ? 'supported' : `unsupported: ${a.reason}`;
        io.stdout.write(`${a.id.padEnd(idWidth)} ${a.family.padEnd(familyWidth)} ${String(a.securityBits).padStart(3)}-bit  ${a.usages.join(',').padEnd(12)} ${status}\n`);
      }
    });
}
