/** `runs export` refuses to replace a file, says how (--force, a flag it takes), and replaces it with --force. */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ErrorCodes } from '../../src/core/errors.js';
import { openStore } from '../../src/store/index.js';
import { runCli } from '../support/cli.js';
import { storeWith } from '../support/runs-fixtures.js';
import { makeRun } from '../support/store-fixtures.js';

const run = makeRun({ id: '0c0ffee0-0000-4000-8000-000000000001', label: 'baseline', samples: 200 });

describe('keyscope runs export --force', () => {
  it('names --force when the file exists, keeps the file, and replaces it when --force is given', async () => {
    const { dir, db } = await storeWith([run]);
    const out = join(dir, 'baseline.json');
    writeFileSync(out, 'keep me');

    const refused = await runCli(['runs', 'export', 'baseline', '--out', out, '--db', db]);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(`keyscope: error KS_FILE_EXISTS: ${out} exists; pass --force to replace it\n`);
    expect(readFileSync(out, 'utf8')).toBe('keep me');

    const forced = await runCli(['runs', 'export', 'baseline', '--out', out, '--force', '--db', db]);
    expect(forced.stderr).toBe('');
    expect(forced.status).toBe(0);
    expect(forced.stdout).toMatch(/^exported run 0c0ffee0-0000-4000-8000-000000000001 to .*baseline\.json \(json, \d+ samples\)\n$/);
    expect((JSON.parse(readFileSync(out, 'utf8')) as { run: { id: string } }).run.id).toBe(run.id);
  });

  it('names the option, force: true, in the API', async () => {
    const { dir, db } = await storeWith([run]);
    const out = join(dir, 'baseline.json');
    writeFileSync(out, 'keep me');
    const store = await openStore(db, { readOnly: true });
    try {
      await expect(store.exportRun(run.id, out)).rejects.toMatchObject({ code: ErrorCodes.fileExists, message: `${out} exists; pass force: true to replace it` });
      await store.exportRun(run.id, out, { force: true });
    } finally {
      await store.close();
    }
    expect(readFileSync(out, 'utf8')).not.toBe('keep me');
  });
});
