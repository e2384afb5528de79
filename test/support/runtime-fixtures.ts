/**
 * The runtime fixtures (test/fixtures/runtimes): one real run of the same small suite (native rsa-2048, random and
 * seeded, and ec-p256) on this project's VM under Node 20 (OpenSSL 3.0) and under Node 24 (OpenSSL 3.5).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import type { RunRecord } from '../../src/model/index.js';
import { readRunExport } from '../../src/store/index.js';

export const node20File = fileURLToPath(new URL('../fixtures/runtimes/node20-rsa-ec-2026-12-07.json', import.meta.url));
export const node24File = fileURLToPath(new URL('../fixtures/runtimes/node24-rsa-ec-2026-12-07.json', import.meta.url));

export async function runtimeRuns(): Promise<{ node20: RunRecord; node24: RunRecord }> {
  return { node20: await readRunExport(node20File), node24: await readRunExport(node24File) };
}

/** A copy of an exported run with its document edited (its environment, id, label, testbed), in a fresh directory. */
export function editedExport(file: string, name: string, edit: (run: Record<string, unknown> & { environment: Record<string, unknown> }) => void): string {
  const document = JSON.parse(readFileSync(file, 'utf8')) as { run: Record<string, unknown> & { environment: Record<string, unknown> } };
  edit(document.run);
  const out = join(mkdtempSync(join(tmpdir(), 'keyscope-runtimes-')), name);
  writeFileSync(out, JSON.stringify(document));
  return out;
}
