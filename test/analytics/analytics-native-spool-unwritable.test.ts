/**
 * A spool directory that cannot be written turns the spool off with exactly one warning; key generation goes
 * on as if analytics were off. (The directory sits under a regular file, which fails even for root.)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

import { openNativeSpool, type NativeSpool } from '../../src/analytics/capture/native-spool.js';
import { generateKeyPair, generateKeyPairSync } from '../../src/index.js';

let spool: NativeSpool | undefined;
afterEach(() => spool?.close());

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('native spool with an unwritable directory', () => {
  it('keeps generating keys and warns once', async () => {
    const parent = mkdtempSync(join(tmpdir(), 'keyscope-spool-'));
    const notADirectory = join(parent, 'file');
    writeFileSync(notADirectory, 'not a directory');
    const onWarning = vi.fn<(message: string) => void>();
    spool = openNativeSpool({ dir: join(notADirectory, 'spool'), installId: 'i', sessionId: 's', keyscopeVersion: 'v', onWarning });
    spool.setScopeMask(15);

    for (let i = 0; i < 20; i++) expect(generateKeyPairSync('ed25519').exportPublicKey()).toMatch(/BEGIN PUBLIC KEY/);
    const pairs = await Promise.all(Array.from({ length: 8 }, () => generateKeyPair('ec-p256')));
    expect(pairs.every((pair) => pair.algorithm === 'ec-p256')).toBe(true);
    spool.recordExport('exportPublicKey', 'ed25519', 'pem', false);

    await vi.waitFor(() => expect(onWarning).toHaveBeenCalledTimes(1));
    expect(onWarning.mock.calls[0]![0]).toMatch(/^analytics performance spool turned off: cannot create .*: Not a directory$/);

    // Off for good: turning scopes on again neither records nor warns again.
    spool.setScopeMask(15);
    generateKeyPairSync('ed25519');
    await generateKeyPair('x25519');
    await nextTurn();
    await nextTurn();
    expect(onWarning).toHaveBeenCalledTimes(1);
  });
});
