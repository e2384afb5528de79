/**
 * Finds suites: every `*.suite.ts` (or .mts/.js/.mjs) file in the suites directory (./bench by default), and the
 * suites built into keyscope (default, seeded), which ship compiled in dist/suites so that an installed package
 * benchmarks with no devDependencies. A suite is selected by its name (the file name without ".suite.*") or a
 * glob over names; with no selection, the suite named "default". Each name or glob is looked up in the directory
 * first and among the built-in suites only when the directory has no match: a project's own `default` replaces
 * keyscope's, and `"*"` means the project's suites wherever it has some.
 *
 * .js/.mjs suites load as they are. TypeScript suites load with tsx when the suite's project (or keyscope's own
 * clone) has it, else through the runtime itself (a Node that strips types, or one started with a loader).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { minimatch } from 'minimatch';
// Types only: tsx is a devDependency, found at run time in the suite's project (see findTsx).
import type * as TsxApi from 'tsx/esm/api';

import { ErrorCodes, KeyscopeError } from '../core/index.js';
import type { SuiteDefinition } from './define-suite.js';

const SUITE_FILE = /\.suite\.(ts|mts|js|mjs)$/;
const TYPESCRIPT_FILE = /\.m?ts$/;

/** dist/suites in the package (src/suites when keyscope itself runs from source, as under vitest). */
export const builtInSuitesDir = fileURLToPath(new URL('../suites/', import.meta.url));

export interface SuiteFile {
  name: string;
  path: string;
  /** One of keyscope's own suites rather than the project's. */
  builtIn?: boolean;
}

export function findSuiteFiles(dir: string): SuiteFile[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    throw new KeyscopeError(ErrorCodes.suiteNotFound, `no suites directory at ${dir}`);
  }
  return entries
    .filter((file) => SUITE_FILE.test(file))
    .sort()
    .map((file) => ({ name: basename(file).replace(SUITE_FILE, ''), path: resolve(dir, file) }));
}

export function builtInSuiteFiles(): SuiteFile[] {
  return findSuiteFiles(builtInSuitesDir).map((file) => ({ ...file, builtIn: true }));
}

/**
 * The project's suites and the built-in ones. A directory named by the caller must exist; the default one
 * (./bench) may be absent, as in a project that only installed keyscope.
 */
export function availableSuiteFiles(dir?: string): SuiteFile[] {
  const defaultDir = join(process.cwd(), 'bench');
  const own = dir !== undefined ? findSuiteFiles(dir) : existsSync(defaultDir) ? findSuiteFiles(defaultDir) : [];
  return [...own, ...builtInSuiteFiles()];
}

function suiteNames(files: readonly SuiteFile[]): string {
  const own = files.filter((file) => !file.builtIn).map((file) => file.name);
  const builtIn = files.filter((file) => file.builtIn).map((file) => file.name);
  return [own.length > 0 ? `suites: ${own.join(', ')}` : '', builtIn.length > 0 ? `built in: ${builtIn.join(', ')}` : ''].filter(Boolean).join('; ') || 'no suites';
}

export function selectSuiteFiles(files: readonly SuiteFile[], patterns: readonly string[]): SuiteFile[] {
  const wanted = patterns.length > 0 ? patterns : ['default'];
  const own = files.filter((file) => !file.builtIn);
  const builtIn = files.filter((file) => file.builtIn);
  const selected = new Map<string, SuiteFile>();
  for (const pattern of wanted) {
    const inDir = own.filter((file) => minimatch(file.name, pattern));
    const matches = inDir.length > 0 ? inDir : builtIn.filter((file) => minimatch(file.name, pattern));
    if (matches.length === 0) {
      throw new KeyscopeError(ErrorCodes.suiteNotFound, `no suite matches "${pattern}" (${suiteNames(files)})`);
    }
    for (const match of matches) selected.set(match.path, match);
  }
  return [...selected.values()];
}

function isSuite(value: unknown): value is SuiteDefinition {
  return typeof value === 'object' && value !== null && typeof (value as SuiteDefinition).name === 'string' && typeof (value as SuiteDefinition).cases === 'function';
}

type Manifest = { exports?: Record<string, { import?: { default?: string } }> };

/** tsx's ESM API file (its CommonJS build cannot load the ESM half) as installed where `from` resolves it. */
function tsxEntry(from: string): string | null {
  try {
    const manifestPath = createRequire(from).resolve('tsx/package.json');
    const entry = (JSON.parse(readFileSync(manifestPath, 'utf8')) as Manifest).exports?.['./esm/api']?.import?.default;
    return entry ? join(dirname(manifestPath), entry) : null;
  } catch {
    return null;
  }
}

/** tsx from the suite's own project first, then from keyscope's (a clone has it as a devDependency); null if neither. */
async function findTsx(suitePath: string): Promise<typeof TsxApi | null> {
  const entry = tsxEntry(suitePath) ?? tsxEntry(fileURLToPath(import.meta.url));
  return entry ? ((await import(pathToFileURL(entry).href)) as typeof TsxApi) : null;
}

async function importSuiteModule(path: string): Promise<{ default?: unknown }> {
  const url = pathToFileURL(path).href;
  if (!TYPESCRIPT_FILE.test(path)) return (await import(url)) as { default?: unknown };
  const tsx = await findTsx(path);
  if (tsx) return (await tsx.tsImport(url, import.meta.url)) as { default?: unknown };
  try {
    return (await import(url)) as { default?: unknown };
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'ERR_UNKNOWN_FILE_EXTENSION') throw error;
    throw new KeyscopeError(
      ErrorCodes.suiteTypeScript,
      `cannot load TypeScript suite ${path}: Node ${process.version} does not strip types; install tsx in the project (npm install --save-dev tsx), use Node >= 22.18, or write the suite as .js or .mjs`,
    );
  }
}

export async function loadSuite(file: SuiteFile): Promise<SuiteDefinition> {
  let module: { default?: unknown };
  try {
    module = await importSuiteModule(file.path);
  } catch (error) {
    // Only the TypeScript advice passes as it is; anything else the module threw (a keyscope error from its top
    // level included) is this suite's failure to load, named with its path.
    if (error instanceof KeyscopeError && error.code === ErrorCodes.suiteTypeScript) throw error;
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new KeyscopeError(ErrorCodes.suiteInvalid, `cannot load suite ${file.path}: ${detail}`, { cause: error });
  }
  if (!isSuite(module.default)) {
    throw new KeyscopeError(ErrorCodes.suiteInvalid, `${file.path} must export default defineSuite({ name, cases })`);
  }
  return module.default;
}

/** Loads the selected suites from `dir` (./bench when not given, and then optional) and the built-in ones. */
export async function discoverSuites(patterns: readonly string[], dir?: string): Promise<SuiteDefinition[]> {
  const files = selectSuiteFiles(availableSuiteFiles(dir), patterns);
  return Promise.all(files.map(loadSuite));
}
