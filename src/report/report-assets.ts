/**
 * The files a report inlines: uPlot's script and style from node_modules, and the report's own client script
 * and style from assets/report. Paths resolve from this module, which sits two levels below the package root
 * both as src/report/*.ts (tsx) and as dist/report/*.js (built), so both find the same assets/ directory.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

export interface ReportAssets {
  chartScript: string;
  chartStyle: string;
  reportScript: string;
  reportStyle: string;
}

const require = createRequire(import.meta.url);
const assetsDirectory = new URL('../../assets/report/', import.meta.url);

let cached: ReportAssets | undefined;

/** Read once per process: a report generator may write many reports. */
export function reportAssets(): ReportAssets {
  cached ??= {
    chartScript: readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8'),
    chartStyle: readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8'),
    reportScript: readFileSync(fileURLToPath(new URL('report.js', assetsDirectory)), 'utf8'),
    reportStyle: readFileSync(fileURLToPath(new URL('report.css', assetsDirectory)), 'utf8'),
  };
  return cached;
}
