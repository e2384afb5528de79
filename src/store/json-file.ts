/** A run as one JSON export file (see run-document.ts for the format). */
import { readFile } from 'node:fs/promises';

import { writeNewFileAsync } from '../files/index.js';
import { type RunRecord } from '../model/index.js';
import { encodeDocument, inlineDocumentSchema } from './run-document.js';
import { describeIssue } from './run-schema.js';

/** Writes the export to `temporary`, a new file, readable by others as an export meant to be shared is. */
export async function writeJsonExport(run: RunRecord, temporary: string): Promise<void> {
  await writeNewFileAsync(temporary, `${JSON.stringify(encodeDocument(run, 'inline'))}\n`, { mode: 0o644 });
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
