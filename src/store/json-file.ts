/** A run as one JSON export file (see run-document.ts for the format). */
import { open, readFile } from 'node:fs/promises';

import { type RunRecord } from '../model/index.js';
import { encodeDocument, inlineDocumentSchema } from './run-document.js';
import { describeIssue } from './run-schema.js';

export async function writeJsonExport(run: RunRecord, temporary: string): Promise<void> {
  const text = `${JSON.stringify(encodeDocument(run, 'inline'))}\n`;
  const handle = await open(temporary, 'wx', 0o644);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** The run in a JSON export, or the reason the file is not one (as a one-line phrase). */
export async function readJsonExport(file: string): Promise<RunRecord | string> {
  const text = await readFile(file, 'utf8');
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return 'it is not JSON';
  }
  const parsed = inlineDocumentSchema.safeParse(document);
  if (!parsed.success) return describeIssue(parsed.error, 'document');
  return parsed.data.run as RunRecord;
}
