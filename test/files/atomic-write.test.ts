/** The one atomic writer: a temporary file beside the target, published whole, refusing or replacing as asked, leaving nothing behind on failure. */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { afterAll, describe, expect, it } from 'vitest';

import { ErrorCodes, FileError } from '../../src/core/errors.js';
import {
  pathExists,
  publishFile,
  publishFileAsync,
  temporaryPathFor,
  writeFileAtomically,
  writeNewFile,
  writeNewFileAsync,
  writeTemporaryFile,
  writeTemporaryFileAsync,
} from '../../src/files/atomic-write.js';
import { fileErrorReason, writeFailure } from '../../src/files/file-errors.js';

const root = mkdtempSync(join(tmpdir(), 'keyscope-atomic-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

let count = 0;
function freshDir(): string {
  const dir = join(root, String(count++));
  mkdirSync(dir);
  return dir;
}

function withUmask<T>(mask: number, work: () => T): T {
  const before = process.umask(mask);
  try {
    return work();
  } finally {
    process.umask(before);
  }
}

describe('writeFileAtomically', () => {
  it('writes a new file, private by default, and leaves only it', () => {
    const dir = freshDir();
    const file = join(dir, 'consent.json');
    writeFileAtomically(file, 'one');
    expect(readFileSync(file, 'utf8')).toBe('one');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['consent.json']);
  });

  it('replaces an existing file by default', () => {
    const dir = freshDir();
    const file = join(dir, 'views.json');
    writeFileSync(file, 'old');
    writeFileAtomically(file, 'new');
    expect(readFileSync(file, 'utf8')).toBe('new');
    expect(readdirSync(dir)).toEqual(['views.json']);
  });

  it('refuses to replace when asked not to: EEXIST, the file as it was, no temporary file', () => {
    const dir = freshDir();
    const file = join(dir, 'id.key');
    writeFileSync(file, 'precious');
    expect(() => writeFileAtomically(file, 'new', { replace: false })).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(readFileSync(file, 'utf8')).toBe('precious');
    expect(readdirSync(dir)).toEqual(['id.key']);
  });

  it('leaves nothing behind when the directory does not exist', () => {
    const dir = freshDir();
    expect(() => writeFileAtomically(join(dir, 'missing', 'report.html'), 'x')).toThrow(expect.objectContaining({ code: 'ENOENT' }));
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes its temporary file when publishing fails (a directory in the way)', () => {
    const dir = freshDir();
    const target = join(dir, 'report.html');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), '');
    expect(() => writeFileAtomically(target, 'x')).toThrow();
    expect(readdirSync(dir)).toEqual(['report.html']);
  });

  it('narrows the mode by the umask unless the mode must be exact', () => {
    const dir = freshDir();
    withUmask(0o077, () => {
      writeFileAtomically(join(dir, 'narrowed.pub'), 'x', { mode: 0o644 });
      writeFileAtomically(join(dir, 'exact.pub'), 'x', { mode: 0o644, exactMode: true });
    });
    expect(statSync(join(dir, 'narrowed.pub')).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'exact.pub')).mode & 0o777).toBe(0o644);
  });
});

describe('the writer in steps', () => {
  it('names the temporary file beside its target, hidden and ending in .tmp', () => {
    const temporary = temporaryPathFor('/some/dir/run.json');
    expect(temporary).toMatch(/^\/some\/dir\/\.run\.json\.[0-9a-f]{12}\.tmp$/);
    expect(temporaryPathFor('/some/dir/run.json')).not.toBe(temporary);
  });

  it('writeNewFile refuses an existing file and leaves it untouched', () => {
    const dir = freshDir();
    const file = join(dir, 'taken');
    writeFileSync(file, 'theirs');
    expect(() => writeNewFile(file, 'mine')).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(readFileSync(file, 'utf8')).toBe('theirs');
  });

  it('publishFile removes the temporary file whether it publishes or refuses', () => {
    const dir = freshDir();
    const file = join(dir, 'export.parquet');
    publishFile(writeTemporaryFile(file, 'first'), file, { replace: false });
    expect(() => publishFile(writeTemporaryFile(file, 'second'), file, { replace: false })).toThrow(expect.objectContaining({ code: 'EEXIST' }));
    expect(readFileSync(file, 'utf8')).toBe('first');
    publishFile(writeTemporaryFile(file, 'third'), file, { replace: true });
    expect(readFileSync(file, 'utf8')).toBe('third');
    expect(readdirSync(dir)).toEqual(['export.parquet']);
  });

  it('pathExists sees a dangling symlink, which link(2) would refuse', () => {
    const dir = freshDir();
    symlinkSync(join(dir, 'nowhere'), join(dir, 'dangling'));
    expect(pathExists(join(dir, 'dangling'))).toBe(true);
    expect(pathExists(join(dir, 'absent'))).toBe(false);
  });
});

describe('the async writer (reports and run exports, inside a host event loop)', () => {
  it('writes, publishes and refuses exactly as the sync writer does', async () => {
    const dir = freshDir();
    const file = join(dir, 'report.html');
    await publishFileAsync(await writeTemporaryFileAsync(file, 'one', { mode: 0o644, exactMode: true }), file, { replace: false });
    expect(readFileSync(file, 'utf8')).toBe('one');
    expect(statSync(file).mode & 0o777).toBe(0o644);
    const second = await writeTemporaryFileAsync(file, 'two');
    await expect(publishFileAsync(second, file, { replace: false })).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(file, 'utf8')).toBe('one');
    await publishFileAsync(await writeTemporaryFileAsync(file, 'three'), file, { replace: true });
    expect(readFileSync(file, 'utf8')).toBe('three');
    expect(readdirSync(dir)).toEqual(['report.html']);
  });

  it('writeNewFileAsync refuses an existing file and leaves it untouched', async () => {
    const dir = freshDir();
    const file = join(dir, 'taken');
    writeFileSync(file, 'mine');
    await expect(writeNewFileAsync(file, 'theirs')).rejects.toMatchObject({ code: 'EEXIST' });
    expect(readFileSync(file, 'utf8')).toBe('mine');
  });

  it('leaves nothing behind when the directory does not exist', async () => {
    const dir = freshDir();
    await expect(writeTemporaryFileAsync(join(dir, 'missing', 'report.html'), 'x')).rejects.toMatchObject({ code: 'ENOENT' });
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('writeFailure', () => {
  it('words the system error and names the file as KS_FILE_WRITE', () => {
    const error = Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' });
    const failure = writeFailure('/x/report.html', error);
    expect(failure).toBeInstanceOf(FileError);
    expect(failure.code).toBe(ErrorCodes.fileWrite);
    expect(failure.message).toBe('cannot write /x/report.html: its directory does not exist');
    expect(failure.cause).toBe(error);
  });

  it('keeps the first line of an error without a code, and passes a FileError on', () => {
    expect(fileErrorReason(new Error('IO Error: disk gone\nmore detail'))).toBe('IO Error: disk gone');
    expect(fileErrorReason(Object.assign(new Error('x'), { code: 'EISDIR' }))).toBe('it is a directory');
    const worded = new FileError(ErrorCodes.fileExists, 'x exists');
    expect(writeFailure('/x', worded)).toBe(worded);
  });
});
