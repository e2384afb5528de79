/**
 * The README's error-code list names every code keyscope can show a user: every `ErrorCodes` entry and any other
 * KS_ literal in src/ or native/ (a case's recorded code, the dashboard app's own). Codes added elsewhere fail
 * this test by name until they are listed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { ErrorCodes } from '../../src/core/errors.js';
import { section } from '../support/markdown.js';

const root = resolve(import.meta.dirname, '..', '..');
const sourceFile = /\.(ts|tsx|mts|js|mjs|cc|cpp|h|hpp)$/;

function codesInSources(): Set<string> {
  const codes = new Set<string>(Object.values(ErrorCodes));
  for (const dir of ['src', 'native']) {
    for (const entry of readdirSync(join(root, dir), { recursive: true, withFileTypes: true })) {
      if (!entry.isFile() || !sourceFile.test(entry.name)) continue;
      const text = readFileSync(join(entry.parentPath, entry.name), 'utf8');
      for (const match of text.matchAll(/\bKS_[A-Z0-9]+(?:_[A-Z0-9]+)*\b/g)) codes.add(match[0]);
    }
  }
  return codes;
}

describe("the README's error codes", () => {
  it('list every code defined or thrown in src/ and native/', () => {
    const listed = section(readFileSync(join(root, 'README.md'), 'utf8'), 'Error codes');
    const missing = [...codesInSources()].filter((code) => !new RegExp(`\`${code}\``).test(listed)).sort();
    expect(missing, `error codes missing from the README's "Error codes" table: ${missing.join(', ')}`).toEqual([]);
  });

  it('finds the codes it checks (the scan is not empty)', () => {
    const codes = codesInSources();
    expect(codes).toContain('KS_CASE_FAILED');
    expect(codes).toContain('KS_NOT_IN_SNAPSHOT');
    expect(codes.size).toBeGreaterThan(Object.values(ErrorCodes).length);
  });
});
