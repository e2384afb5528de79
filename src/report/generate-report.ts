/** Report generation end to end: runs in, one HTML file out (and written to disk without a half-written file). */
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

import { publishFile, temporaryPathFor, writeFailure } from '../store/index.js';
import { renderReportHtml } from './render-html.js';
import { buildReportModel, type ReportInput, type ReportModel } from './report-model.js';

export interface GeneratedReport {
  html: string;
  /** Size of the HTML in UTF-8 bytes. */
  bytes: number;
  model: ReportModel;
}

export function generateReport(input: ReportInput): GeneratedReport {
  const model = buildReportModel(input);
  const html = renderReportHtml(model);
  return { html, bytes: Buffer.byteLength(html, 'utf8'), model };
}

export interface WriteReportOptions {
  /** Replace an existing file (default true: a report is regenerated in place). */
  force?: boolean;
}

/**
 * Writes `html` to `path`, creating its directory: a temporary file beside it, then a rename, so a reader
 * (a browser reloading the report) never sees half a file. Returns the absolute path written.
 */
export async function writeReportFile(path: string, html: string, options: WriteReportOptions = {}): Promise<string> {
  const destination = resolve(path);
  const temporary = temporaryPathFor(destination);
  try {
    await mkdir(dirname(destination), { recursive: true });
    await writeFile(temporary, html, { encoding: 'utf8', flag: 'wx' });
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined); // the directory may not exist at all
    throw writeFailure(destination, error);
  }
  await publishFile(temporary, destination, options.force ?? true);
  return destination;
}
