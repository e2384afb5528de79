/**
 * The package as its users get it: `npm pack` from a copy of this checkout (its prepack step builds the prebuild),
 * then `npm install` of the tarball into an empty project with a clean npm configuration (an empty userconfig, so
 * no nodedir) and no compiler, CMake, make or ninja on PATH; then the installed `keyscope` runs there.
 *
 * The copy leaves out what packing never reads (test/, bench/, and the git-ignored build output), so the pack
 * compiles only the shipped addon. Dependencies come from npm's cache (--prefer-offline: `npm ci` filled it), the
 * registry only for what is missing. scripts/test-asan.sh leaves this file out: it tests packaging, and the
 * installed package loads its own prebuild, never the sanitizer build.
 */
import { execFile, execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const { version } = JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string };
/** Top-level entries that packing does not read: git-ignored output, the tests, the benchmarks. */
const notCopied = new Set(['.git', 'node_modules', 'build', 'build-asan', 'dist', 'prebuilds', 'reports', 'test-artifacts', '.keyscope', 'test', 'bench']);
/** What a source build would need, hidden from the install (cc/c++ and target-prefixed or versioned names too). */
const buildTool = /(^|-)(gcc|g\+\+|cc|c\+\+|clang|clang\+\+|cmake|make|gmake|ninja)(-[\d.]+)?$/;

const root = mkdtempSync(join(tmpdir(), 'keyscope-package-'));
const source = join(root, 'source');
const project = join(root, 'project');
const installed = join(project, 'node_modules', 'keyscope');
const noBuildTools = join(root, 'bin');
const npmrc = join(root, 'npmrc');

interface Result {
  status: number;
  stdout: string;
  stderr: string;
}

function run(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<Result> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: options.cwd, env: options.env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      const code = error ? (error as { code?: unknown }).code : 0;
      resolve({ status: typeof code === 'number' ? code : 1, stdout, stderr });
    });
  });
}

/**
 * This process's environment without what npm, vitest or the sanitizer run hand down (npm_config_nodedir from
 * the developer's npmrc, KEYSCOPE_ADDON, LD_PRELOAD): a user's shell has none of it.
 */
function userEnv(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const kept = Object.entries(process.env).filter(([name]) => !/^(npm_|KEYSCOPE_|VITEST|LD_PRELOAD$|ASAN_|UBSAN_|NODE_OPTIONS$|INIT_CWD$)/i.test(name));
  return { ...Object.fromEntries(kept), npm_config_userconfig: npmrc, ...extra };
}

/** A PATH of one folder linking every program of this PATH except the build tools. */
function pathWithoutBuildTools(): string {
  mkdirSync(noBuildTools);
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      continue;
    }
    for (const name of names) {
      const link = join(noBuildTools, name);
      if (!buildTool.test(name) && !existsSync(link)) symlinkSync(join(dir, name), link);
    }
  }
  return noBuildTools;
}

let tarball = '';
let install: Result;
const inProject = (extra: NodeJS.ProcessEnv = {}) =>
  userEnv({ PATH: noBuildTools, CI: 'true', KEYSCOPE_HOME: join(root, 'home'), KEYSCOPE_DB: join(root, 'store.duckdb'), ...extra });

beforeAll(async () => {
  cpSync(repo, source, { recursive: true, filter: (from) => !notCopied.has(relative(repo, from).split(sep)[0]!) });
  symlinkSync(join(repo, 'node_modules'), join(source, 'node_modules'));
  writeFileSync(npmrc, '');
  const pack = await run('npm', ['pack', '--pack-destination', root], { cwd: source, env: userEnv() });
  expect(pack, 'npm pack').toMatchObject({ status: 0 });
  tarball = join(root, pack.stdout.trim().split('\n').at(-1)!);

  pathWithoutBuildTools();
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'keyscope-user', private: true }));
  install = await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--foreground-scripts', tarball], { cwd: project, env: userEnv({ PATH: noBuildTools }) });
}, 600_000);

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('the packed package', () => {
  it('carries the prebuild its prepack step made with node\'s own headers, the compiled suites and the dashboard app, and no bench helper', () => {
    const files = execFileSync('tar', ['-tzf', tarball], { encoding: 'utf8' }).trim().split('\n');
    expect(files).toEqual(
      expect.arrayContaining([
        'package/prebuilds/linux-x64/keyscope.glibc.node',
        'package/dist/suites/default.suite.js',
        'package/dist/suites/seeded.suite.js',
        'package/dist/dashboard-ui/index.html',
        'package/dist/dashboard-ui/app.js',
        // The README's links: the reference pages and the privacy notice the first-run notice stands for.
        'package/docs/cli.md',
        'package/PRIVACY.md',
      ]),
    );
    expect(files.filter((file) => /keyscope_bench|\.map$|^package\/(src|test|bench|build)\//.test(file))).toEqual([]);
    // With no nodedir configured, the build (the prebuild here, and the install script's fallback, which runs the
    // same script) compiled against the running node's own headers instead of downloading them.
    const nodePrefix = dirname(dirname(realpathSync(process.execPath)));
    expect(readFileSync(join(source, 'build', 'CMakeCache.txt'), 'utf8')).toContain(`CMAKE_JS_INC:UNINITIALIZED=${join(nodePrefix, 'include', 'node')}\n`);
  });

  it('installs with no compiler, CMake or make on PATH, and compiles nothing', () => {
    const tools = execFileSync('sh', ['-c', 'for t in gcc g++ cc c++ cmake make ninja; do command -v $t; done; true'], { env: { PATH: noBuildTools }, encoding: 'utf8' });
    expect(tools).toBe('');
    expect(install.status, install.stderr).toBe(0);
    // The install script ran and was satisfied by the prebuild: the source build never started.
    const output = install.stdout + install.stderr;
    expect(output).toContain('> node-gyp-build-test || npm run build:native');
    expect(output).not.toContain('> keyscope@0.1.0 build:native');
    expect(existsSync(join(installed, 'build'))).toBe(false);
    const loaded = execFileSync(process.execPath, ['-p', "require('node-gyp-build').resolve('node_modules/keyscope')"], { cwd: project, encoding: 'utf8' }).trim();
    expect(loaded).toBe(join(installed, 'prebuilds', 'linux-x64', 'keyscope.glibc.node'));
    // The shipped binary binds to node's own OpenSSL, like the local build (test/core/openssl-linkage.test.ts).
    const needed = [...execFileSync('readelf', ['-d', loaded], { encoding: 'utf8' }).matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]!);
    expect(needed.length).toBeGreaterThan(0);
    expect(needed.filter((lib) => /crypto|ssl/.test(lib))).toEqual([]);
  });

  it('runs keyscope --version and the built-in quick bench', async () => {
    expect(await run('npx', ['keyscope', '--version'], { cwd: project, env: inProject() })).toEqual({ status: 0, stdout: `${version}\n`, stderr: '' });
    const bench = await run('npx', ['keyscope', 'bench', '--quick'], { cwd: project, env: inProject() });
    expect(bench.status, bench.stderr).toBe(0);
    expect(bench.stdout).toMatch(/^default\/keygen +keyscope-native +ed25519 /m);
    expect(bench.stdout).toContain(`(complete) saved to ${join(root, 'store.duckdb')}`);
  }, 180_000);

  it("loads the project's own .mjs suite as it is, and says how to load a .ts one where Node cannot", async () => {
    mkdirSync(join(project, 'bench'));
    const suite = (name: string) =>
      `import { defineSuite } from 'keyscope';\nexport default defineSuite({ name: '${name}', budget: { maxTimeMs: 100 }, cases: () => [{ kind: 'native', name: 'keygen', algorithm: 'ed25519' }] });\n`;
    writeFileSync(join(project, 'bench', 'mine.suite.mjs'), suite('mine'));
    writeFileSync(join(project, 'bench', 'typed.suite.ts'), suite('typed').replace("name: 'typed'", "name: 'typed' as string"));

    const mine = await run('npx', ['keyscope', 'bench', 'mine', '--no-pin'], { cwd: project, env: inProject() });
    expect(mine.status, mine.stderr).toBe(0);
    expect(mine.stdout).toMatch(/^mine\/keygen +keyscope-native +ed25519 /m);

    const typed = await run('npx', ['keyscope', 'bench', 'typed', '--no-pin'], { cwd: project, env: inProject() });
    if ((process.features as { typescript?: unknown }).typescript) {
      expect(typed.status, typed.stderr).toBe(0);
    } else {
      expect(typed.status).toBe(2);
      expect(typed.stderr).toBe(
        `keyscope: error KS_SUITE_TYPESCRIPT: cannot load TypeScript suite ${join(project, 'bench', 'typed.suite.ts')}: Node ${process.version} does not strip types; install tsx in the project (npm install --save-dev tsx), use Node >= 22.18, or write the suite as .js or .mjs\n`,
      );
    }
  }, 120_000);
});
