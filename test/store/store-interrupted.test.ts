import { spawn } from 'node:child_process';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isDeepStrictEqual } from 'node:util';

import { describe, expect, it } from 'vitest';

import { openStore } from '../../src/store/index.js';
import { makeLargeRun, makeRun } from '../support/store-fixtures.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const storeModule = pathToFileURL(join(repoRoot, 'src/store/index.ts')).href;
const fixturesModule = pathToFileURL(join(repoRoot, 'test/support/store-fixtures.ts')).href;

const firstId = '3f9c2a0e-5b1d-4c7e-9a8f-0d6e4b2c1a70';
const bigId = '8e1d7b3c-2f4a-4d9b-b6e5-7c0a9f1e3d42';
const bigSamples = 4_000_000;

/**
 * The child saves a small run, then starts saving a big one and tells the parent. It runs the TypeScript
 * sources through tsx's loader, as `npx tsx` would, so no build is needed.
 */
const childScript = `
const { openStore } = await import(${JSON.stringify(storeModule)});
const { makeRun, makeLargeRun } = await import(${JSON.stringify(fixturesModule)});
const store = await openStore(process.argv[1]);
await store.saveRun(makeRun({ id: ${JSON.stringify(firstId)}, seed: 1 }));
process.stdout.write('first-saved\\n');
const big = makeLargeRun(${bigSamples}, { id: ${JSON.stringify(bigId)} });
process.stdout.write('big-save-started\\n');
await store.saveRun(big);
process.stdout.write('big-save-finished\\n');
await store.close();
`;

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch {
    return 0;
  }
}

/**
 * Runs the child and SIGKILLs it in the middle of the big save: once it has said the save started and the
 * store file has grown by a megabyte since (DuckDB writes a large transaction's rows to the file before it
 * commits), so the kill lands while the big run is half written. Resolves with what the child printed.
 */
function killMidSave(path: string): Promise<{ output: string; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', childScript, path], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let stderr = '';
    let poll: NodeJS.Timeout | undefined;
    child.stdout.setEncoding('utf8').on('data', (text: string) => {
      output += text;
      if (text.includes('big-save-started') && !poll) {
        const baseline = sizeOf(path);
        poll = setInterval(() => {
          if (sizeOf(path) > baseline + 1024 * 1024) child.kill('SIGKILL');
        }, 2);
      }
    });
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearInterval(poll);
      if (signal === null) reject(new Error(`child exited with ${code} before it was killed: ${output} ${stderr}`));
      else resolve({ output, signal });
    });
  });
}

describe('run store after a process is killed in the middle of a save', () => {
  it('keeps earlier runs whole, has no trace of the interrupted run, and takes new runs', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'keyscope-kill-')), 'keyscope.duckdb');
    const { output, signal } = await killMidSave(path);
    expect(signal).toBe('SIGKILL');
    expect(output).toContain('big-save-started');
    expect(output).not.toContain('big-save-finished');
    expect(sizeOf(`${path}.wal`)).toBeGreaterThan(0); // the first run was committed to the log, never checkpointed

    const store = await openStore(path);
    const first = makeRun({ id: firstId, seed: 1 });
    expect((await store.listRuns()).map((r) => r.id)).toEqual([firstId]);
    expect(isDeepStrictEqual(await store.getRun(firstId), first)).toBe(true);
    expect(await store.getRun(bigId)).toBeUndefined();

    // Usable as ever: the interrupted run can now be saved whole, next to a new one.
    const big = makeLargeRun(200_000, { id: bigId });
    const next = makeRun({ seed: 2 });
    await store.saveRun(big);
    await store.saveRun(next);
    expect(isDeepStrictEqual(await store.getRun(bigId), big)).toBe(true);
    expect(isDeepStrictEqual(await store.getRun(next.id), next)).toBe(true);
    await store.close();
    expect(sizeOf(`${path}.wal`)).toBe(0); // closed cleanly: checkpointed, log gone
  });
});
