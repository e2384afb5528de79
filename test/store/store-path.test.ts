import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { openStore, resolveStorePath } from '../../src/store/index.js';

describe('run store location', () => {
  it('takes the explicit path, else KEYSCOPE_DB, else .keyscope/keyscope.duckdb under the working directory', () => {
    const cwd = '/home/ada/project';
    expect(resolveStorePath('/data/runs.duckdb', { KEYSCOPE_DB: '/elsewhere.duckdb' }, cwd)).toBe('/data/runs.duckdb');
    expect(resolveStorePath(undefined, { KEYSCOPE_DB: '/elsewhere.duckdb' }, cwd)).toBe('/elsewhere.duckdb');
    expect(resolveStorePath(undefined, {}, cwd)).toBe('/home/ada/project/.keyscope/keyscope.duckdb');
    expect(resolveStorePath(undefined, { KEYSCOPE_DB: '' }, cwd)).toBe('/home/ada/project/.keyscope/keyscope.duckdb');
    // Relative paths resolve against the working directory given, so messages name one unambiguous file.
    expect(resolveStorePath('runs.duckdb', {}, cwd)).toBe('/home/ada/project/runs.duckdb');
    expect(resolveStorePath(undefined, { KEYSCOPE_DB: 'ci/runs.duckdb' }, cwd)).toBe('/home/ada/project/ci/runs.duckdb');
  });

  it('creates the store and its directory on first open, and only the store', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'keyscope-path-'));
    const path = resolveStorePath(undefined, {}, cwd);
    const store = await openStore(path);
    expect(store.path).toBe(path);
    await store.close();
    expect(readdirSync(join(cwd, '.keyscope'))).toEqual(['keyscope.duckdb']);
  });

  it('creates nothing when asked not to, and says the store is missing', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'keyscope-path-'));
    const path = join(cwd, 'nested', 'keyscope.duckdb');
    await expect(openStore(path, { create: false })).rejects.toMatchObject({
      code: 'KS_STORE_NOT_FOUND',
      message: `keyscope store ${path} does not exist`,
    });
    expect(existsSync(join(cwd, 'nested'))).toBe(false);
  });
});
