/**
 * Finds suites: every `*.suite.ts` (or .mts/.js/.mjs) file in the suites directory (bench/ by default).
 * A suite is selected by its name (the file name without ".suite.*") or a glob over names; with no
 * selection, the suite named "default". TypeScript suites are loaded with tsx.
 */
import { readdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import { minimatch } from 'minimatch';

import { ErrorCodes, KeyscopeError } from '../errors.js';
import type { SuiteDefinition } from './define-suite.js';

const SUITE_FILE = /\.suite\.(ts|mts|js|mjs)$/;

export interface SuiteFile {
  name: string;
  path: string;
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

export function selectSuiteFiles(files: readonly SuiteFile[], patterns: readonly string[]): SuiteFile[] {
  const wanted = patterns.length > 0 ? patterns : ['default'];
  const selected = new Map<string, SuiteFile>();
  for (const pattern of wanted) {
    const matches = files.filter((file) => minimatch(file.name, pattern));
    if (matches.length === 0) {
      const known = files.map((f) => f.name).join(', ') || 'none';
      throw new KeyscopeError(ErrorCodes.suiteNotFound, `no suite matches "${pattern}" (suites: ${known})`);
    }
    for (const match of matches) selected.set(match.path, match);
  }
  return [...selected.values()];
}

function isSuite(value: unknown): value is SuiteDefinition {
  return typeof value === 'object' && value !== null && typeof (value as SuiteDefinition).name === 'string' && typeof (value as SuiteDefinition).cases === 'function';
}

export async function loadSuite(file: SuiteFile): Promise<SuiteDefinition> {
  let module: { default?: unknown };
  try {
    if (/\.m?ts$/.test(file.path)) {
      const { tsImport } = await import('tsx/esm/api');
      module = (await tsImport(pathToFileURL(file.path).href, import.meta.url)) as { default?: unknown };
    } else {
      module = (await import(pathToFileURL(file.path).href)) as { default?: unknown };
    }
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new KeyscopeError(ErrorCodes.suiteInvalid, `cannot load suite ${file.path}: ${detail}`, { cause: error });
  }
  if (!isSuite(module.default)) {
    throw new KeyscopeError(ErrorCodes.suiteInvalid, `${file.path} must export default defineSuite({ name, cases })`);
  }
  return module.default;
}

export async function discoverSuites(patterns: readonly string[], dir = join(process.cwd(), 'bench')): Promise<SuiteDefinition[]> {
  const files = selectSuiteFiles(findSuiteFiles(dir), patterns);
  return Promise.all(files.map(loadSuite));
}
