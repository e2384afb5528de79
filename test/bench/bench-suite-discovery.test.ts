import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { availableSuiteFiles, builtInSuiteFiles, findSuiteFiles, loadSuite, selectSuiteFiles } from '../../src/bench/discover.js';
import { ErrorCodes } from '../../src/index.js';

// Inside the package (test-artifacts/ is git-ignored) so that suites resolve 'keyscope' to this checkout.
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
mkdirSync(artifacts, { recursive: true });
const dir = mkdtempSync(join(artifacts, 'suites-'));
const suiteSource = (name: string) => `
import { defineSuite } from 'keyscope';
const algorithm: string = 'ed25519';
export default defineSuite({ name: '${name}', cases: () => [{ kind: 'native', name: 'keygen', algorithm: algorithm as 'ed25519' }] });
`;
for (const name of ['default', 'rsa-heavy', 'rsa-light', 'ec']) writeFileSync(join(dir, `${name}.suite.ts`), suiteSource(name));
writeFileSync(join(dir, 'helpers.ts'), 'export const notASuite = 1;\n');
writeFileSync(join(dir, 'broken.suite.ts'), 'export default { nope: true };\n');

describe('suite discovery', () => {
  const files = findSuiteFiles(dir);

  it('finds *.suite.ts files by name, and nothing else', () => {
    expect(files.map((f) => f.name)).toEqual(['broken', 'default', 'ec', 'rsa-heavy', 'rsa-light']);
  });

  it('selects the default suite when no name is given', () => {
    expect(selectSuiteFiles(files, []).map((f) => f.name)).toEqual(['default']);
  });

  it('selects by name and by glob, without duplicates', () => {
    expect(selectSuiteFiles(files, ['ec']).map((f) => f.name)).toEqual(['ec']);
    expect(selectSuiteFiles(files, ['rsa-*', 'rsa-light']).map((f) => f.name)).toEqual(['rsa-heavy', 'rsa-light']);
  });

  it('names the known suites when nothing matches', () => {
    expect(() => selectSuiteFiles(files, ['dsa'])).toThrow(
      expect.objectContaining({ code: ErrorCodes.suiteNotFound, message: 'no suite matches "dsa" (suites: broken, default, ec, rsa-heavy, rsa-light)' }),
    );
    expect(() => selectSuiteFiles(availableSuiteFiles(dir), ['dsa'])).toThrow(
      expect.objectContaining({ message: 'no suite matches "dsa" (suites: broken, default, ec, rsa-heavy, rsa-light; built in: default, seeded)' }),
    );
  });

  it('loads TypeScript suites', async () => {
    const suite = await loadSuite(files.find((f) => f.name === 'rsa-light')!);
    expect(suite.name).toBe('rsa-light');
    expect(await suite.cases({ quick: true, cores: 2 })).toEqual([{ kind: 'native', name: 'keygen', algorithm: 'ed25519' }]);
  });

  it('refuses a module that does not export a suite', async () => {
    await expect(loadSuite(files.find((f) => f.name === 'broken')!)).rejects.toMatchObject({ code: ErrorCodes.suiteInvalid });
  });

  it("names the suite when its module throws a keyscope error of its own while it loads", async () => {
    const own = mkdtempSync(join(artifacts, 'suites-throwing-'));
    writeFileSync(join(own, 'weak.suite.mjs'), "import { generateKeyPairSync } from 'keyscope';\ngenerateKeyPairSync('rsa-1024');\nexport default {};\n");
    const [weak] = findSuiteFiles(own);
    const error = await loadSuite(weak!).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: ErrorCodes.suiteInvalid });
    expect((error as Error).message).toMatch(/^cannot load suite .*weak\.suite\.mjs: .*2048/);
  });

  it('reports a missing suites directory', () => {
    expect(() => findSuiteFiles(join(dir, 'nope'))).toThrow(expect.objectContaining({ code: ErrorCodes.suiteNotFound }));
    expect(() => availableSuiteFiles(join(dir, 'nope'))).toThrow(expect.objectContaining({ code: ErrorCodes.suiteNotFound }));
  });
});

describe('built-in suites', () => {
  const selectedFrom = (files: ReturnType<typeof availableSuiteFiles>, patterns: string[]) =>
    selectSuiteFiles(files, patterns).map((f) => `${f.builtIn ? 'built-in' : 'project'}:${f.name}`);

  it('fill in a name the project has no suite for, and never shadow one it has', () => {
    const files = availableSuiteFiles(dir);
    expect(selectedFrom(files, [])).toEqual(['project:default']);
    expect(selectedFrom(files, ['seeded', 'ec'])).toEqual(['built-in:seeded', 'project:ec']);
    // A glob means the project's suites wherever it has some, not the full built-in default on top.
    expect(selectedFrom(files, ['*'])).toEqual(['project:broken', 'project:default', 'project:ec', 'project:rsa-heavy', 'project:rsa-light']);
  });

  it('are all there is in a project with no bench/ directory', () => {
    const empty = mkdtempSync(join(artifacts, 'no-bench-'));
    const cwd = process.cwd();
    process.chdir(empty);
    try {
      expect(selectedFrom(availableSuiteFiles(), [])).toEqual(['built-in:default']);
      expect(selectedFrom(availableSuiteFiles(), ['*'])).toEqual(['built-in:default', 'built-in:seeded']);
    } finally {
      process.chdir(cwd);
    }
  });

  it('load as suites, with the cases --quick trims to', async () => {
    const byName = Object.fromEntries(await Promise.all(builtInSuiteFiles().map(async (f) => [f.name, await loadSuite(f)] as const)));
    expect(Object.keys(byName)).toEqual(['default', 'seeded']);
    const quick = await byName['default']!.cases({ quick: true, cores: 2 });
    expect(new Set(quick.map((c) => c.algorithm))).toEqual(new Set(['ec-p256', 'ed25519', 'rsa-2048']));
    expect((await byName['seeded']!.cases({ quick: true, cores: 2 })).every((c) => c.kind === 'native' && c.seed !== undefined)).toBe(true);
  });
});
