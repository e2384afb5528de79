import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { FileError } from '../../src/core/errors.js';
import { writeReportFile } from '../../src/report/generate-report.js';

const dir = mkdtempSync(join(tmpdir(), 'keyscope-report-write-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeReportFile', () => {
  it('creates missing directories and leaves no temporary file behind', async () => {
    const path = join(dir, 'a', 'b', 'report.html');
    expect(await writeReportFile(path, '<!doctype html>one')).toBe(path);
    expect(readFileSync(path, 'utf8')).toBe('<!doctype html>one');
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['report.html']);
  });

  it('replaces an existing report by rename, unless asked not to', async () => {
    const path = join(dir, 'report.html');
    writeFileSync(path, 'old');
    await writeReportFile(path, 'new');
    expect(readFileSync(path, 'utf8')).toBe('new');
    await expect(writeReportFile(path, 'newer', { force: false })).rejects.toBeInstanceOf(FileError);
    expect(readFileSync(path, 'utf8')).toBe('new');
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('fails with a FileError naming the path when the directory cannot be made', async () => {
    const blocker = join(dir, 'file');
    writeFileSync(blocker, '');
    await expect(writeReportFile(join(blocker, 'report.html'), 'x')).rejects.toThrow(FileError);
    await expect(writeReportFile(join(blocker, 'report.html'), 'x')).rejects.toThrow(/cannot write .*report\.html/);
  });
});
