/** `keyscope info`: the OpenSSL keyscope runs on. */
import type { Command } from 'commander';

import { opensslInfo } from '../../core/index.js';
import type { CommandContext } from '../command-context.js';

export function register(program: Command, { io }: CommandContext): void {
  program
    .command('info')
    .description("show the OpenSSL keyscope runs on (always node:crypto's own)")
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      const info = opensslInfo();
      if (options.json) {
        io.stdout.write(`${JSON.stringify(info, null, 2)}\n`);
        return;
      }
      io.stdout.write(`OpenSSL ${info.version} (headers ${info.headerVersion}; node:crypto ${info.nodeCryptoVersion})\n`);
      io.stdout.write(`providers: ${info.providers.join(', ')}\n`);
    });
}
