import { readFileSync } from 'node:fs';

import { expect, it } from 'vitest';

import { runCli } from '../support/cli.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

it('prints the package version for --version and -V, and nothing else', async () => {
  for (const flag of ['--version', '-V']) {
    const result = await runCli([flag], { env: { CI: 'true' } });
    expect(result).toMatchObject({ status: 0, stdout: `${version}\n`, stderr: '' });
  }
});
