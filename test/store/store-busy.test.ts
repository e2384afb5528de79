import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { describe, expect, it } from 'vitest';

import { openStore } from '../../src/store/index.js';
import { makeRun } from '../support/store-fixtures.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const storeModule = pathToFileURL(join(repoRoot, 'src/store/index.ts')).href;

/** Another process that opens the store, says so, and holds it until its stdin closes. */
const holderScript = `
const { openStore } = await import(${JSON.stringify(storeModule)});
const store = await openStore(process.argv[1]);
process.stdout.write('open\\n');
process.stdin.resume();
process.stdin.on('end', async () => { await store.close(); process.stdout.write('closed\\n'); });
`;

async function holdStore(path: string) {
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', holderScript, path], {
    cwd: repoRoot,
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.setEncoding('utf8');
  const said = (word: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => (output.includes(word) ? resolve() : undefined);
      child.stdout.on('data', (text: string) => {
        output += text;
        check();
      });
      child.on('exit', () => reject(new Error(`holder exited before saying ${word}: ${output}`)));
      check();
    });
  await said('open');
  return {
    pid: child.pid!,
    async release() {
      const exited = new Promise((resolve) => child.on('exit', resolve));
      child.stdin.end();
      await exited;
    },
  };
}

function freshStorePath(): string {
  return join(mkdtempSync(join(tmpdir(), 'keyscope-busy-')), 'keyscope.duckdb');
}

describe('run store opened by one process at a time', () => {
  it('waits for the process that holds the store, then says which it is, and opens once it is released', async () => {
    const path = freshStorePath();
    const holder = await holdStore(path);
    try {
      const started = Date.now();
      const error = await openStore(path, { busyWaitMs: 500 }).catch((e: unknown) => e);
      expect(Date.now() - started).toBeGreaterThanOrEqual(500);
      expect(error).toMatchObject({ code: 'KS_STORE_BUSY' });
      expect((error as Error).message).toBe(`keyscope store ${path} is held by node (pid ${holder.pid}); try again when it finishes`);
    } finally {
      await holder.release();
    }
    const store = await openStore(path);
    const run = makeRun({ samples: 20 });
    await store.saveRun(run);
    expect((await store.listRuns()).map((r) => r.id)).toEqual([run.id]);
    await store.close();
  });

  it('opens once a process that held the store when it asked releases it within the wait (a bench saving while the dashboard reads)', async () => {
    const path = freshStorePath();
    const holder = await holdStore(path);
    const opening = openStore(path);
    setTimeout(() => void holder.release(), 300);
    const store = await opening;
    await store.saveRun(makeRun({ samples: 5 }));
    expect(await store.listRuns()).toHaveLength(1);
    await store.close();
  });

  it('refuses a second open in the same process until the first is closed', async () => {
    const path = freshStorePath();
    const first = await openStore(path);
    await expect(openStore(path)).rejects.toMatchObject({
      code: 'KS_STORE_BUSY',
      message: `keyscope store ${path} is already open in this process; close it before opening it again`,
    });
    await first.close();
    const second = await openStore(path);
    await second.close();
  });
});
