/** Report generation end to end: runs in, one HTML file out (and written to disk without a half-written file). */
import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';

import { ErrorCodes, FileError } from '../core/index.js';
import { publishFileAsync, writeFailure, writeTemporaryFileAsync } from '../files/index.js';
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
  let temporary: string;
  try {
    await mkdir(dirname(destination), { recursive: true });
    // 0666 narrowed by the umask, as any file a person saves: a report is meant to be shared.
    temporary = await writeTemporaryFileAsync(destination, html, { mode: 0o666 });
  } catch (error) {
    throw writeFailure(destination, error);
  }
  try {
    await publishFileAsync(temporary, destination, { replace: options.force ?? true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new FileError(ErrorCodes.fileExists, `${destination} exists; pass force: true to replace it`);
    }
    throw writeFailure(destination, error);
  }
  return destination;
}
