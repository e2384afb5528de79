/**
 * The browser app, served from the package (no CDN): the esbuild bundle in dist/dashboard-ui/ (index.html,
 * app.js, app.css, from `npm run build:ui`), and uPlot's own files from node_modules for an app that loads
 * them separately. The directory is found from this module, two levels up, which is the package root both
 * from src/dashboard (tsx, vitest) and from dist/dashboard (the published build).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const uiDirectory = fileURLToPath(new URL('../../../dist/dashboard-ui/', import.meta.url));

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** uPlot's files, for an app that does not bundle it. */
function uplotFile(name: 'uPlot.iife.min.js' | 'uPlot.min.css'): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('uplot/package.json')), 'dist', name);
}

export interface StaticFile {
  body: Buffer;
  contentType: string;
}

/**
 * The file `/assets/<name>` names, or null. Names are a single path segment of safe characters: nothing can
 * climb out of the directory.
 */
export async function readAsset(name: string): Promise<StaticFile | null> {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) return null;
  const path = name === 'uplot.js' ? uplotFile('uPlot.iife.min.js') : name === 'uplot.css' ? uplotFile('uPlot.min.css') : join(uiDirectory, name);
  const extension = /\.[a-z0-9]+$/.exec(name)?.[0] ?? '';
  const contentType = contentTypes[extension];
  if (contentType === undefined) return null;
  try {
    return { body: await readFile(path), contentType };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' || (error as NodeJS.ErrnoException).code === 'EISDIR') return null;
    throw error;
  }
}

/** index.html of the bundle, or null before `npm run build:ui`. */
export async function readIndexHtml(): Promise<string | null> {
  try {
    return await readFile(join(uiDirectory, 'index.html'), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}
