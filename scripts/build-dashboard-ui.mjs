// Bundles the dashboard's browser app (src/dashboard/ui) into dist/dashboard-ui/: index.html, app.js (Preact, htm
// and uPlot inside, minified) and app.css (uPlot's styles and ours). Nothing is fetched from a CDN at run time.
//
// Files are written to a temporary directory next to the output and renamed into place, so a server (or a
// parallel test run building at the same moment) never serves a half-written bundle.
import { copyFile, mkdir, mkdtemp, readdir, rename, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

import { build } from 'esbuild';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(root, 'src', 'dashboard', 'ui');

/** Builds the app into `outDir` (default dist/dashboard-ui); returns the directory. */
export async function buildDashboardUi(outDir = join(root, 'dist', 'dashboard-ui')) {
  await mkdir(dirname(outDir), { recursive: true });
  const staging = await mkdtemp(join(dirname(outDir), '.dashboard-ui-'));
  try {
    await build({
      entryPoints: { app: join(source, 'main.ts') },
      outdir: staging,
      bundle: true,
      // An IIFE rather than a module: the static export inlines this file into a classic <script>.
      format: 'iife',
      platform: 'browser',
      target: ['es2020'],
      minify: true,
      legalComments: 'none',
      logLevel: 'warning',
      tsconfig: join(source, 'tsconfig.json'),
    });
    await copyFile(join(source, 'index.html'), join(staging, 'index.html'));
    await mkdir(outDir, { recursive: true });
    for (const name of await readdir(staging)) await rename(join(staging, name), join(outDir, name));
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return outDir;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outDir = await buildDashboardUi(process.argv[2] ? resolve(process.argv[2]) : undefined);
  console.log(`dashboard UI built into ${outDir}`);
}
