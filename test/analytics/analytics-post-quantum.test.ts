/**
 * Analytics covers the post-quantum families like every other: with the usage scope on, a generate or export
 * call of an ML-KEM, ML-DSA or SLH-DSA key yields one api.call record naming the algorithm; on an OpenSSL without
 * them (Node 20) the refused call is recorded as an error under the same id. CI runs this on both runtimes.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it, vi } from 'vitest';

import { openNativeSpool, spoolHooks, type NativeSpool } from '../../src/analytics/capture/native-spool.js';
import { readSpoolSegment } from '../../src/analytics/spool/binary-segment.js';
import { setInstrumentation } from '../../src/core/instrumentation.js';
import { type AlgorithmId, generateKeyPair, generateKeyPairSync } from '../../src/index.js';
import { opensslHasPostQuantum } from '../support/algorithms.js';

let spool: NativeSpool | undefined;
afterEach(() => {
  setInstrumentation(null);
  spool?.close();
});

function recorded(dir: string): string[] {
  const seq = (name: string) => Number(/-(\d+)\.bin$/.exec(name)![1]);
  return readdirSync(dir)
    .sort((a, b) => seq(a) - seq(b))
    .flatMap((name) => readSpoolSegment(join(dir, name), 0).events)
    .flatMap((e) => (e.type === 'api.call' ? [[e.api, e.algorithm, e.outcome, e.format].filter(Boolean).join(' ')] : []));
}

it('records post-quantum generate and export calls under their ids, generated or refused', async () => {
  const dir = join(mkdtempSync(join(tmpdir(), 'keyscope-spool-')), 'spool');
  spool = openNativeSpool({ dir, installId: 'i', sessionId: 's', keyscopeVersion: 'v' });
  spool.setScopeMask(1);
  setInstrumentation({ ...spoolHooks(spool), weakParameters: vi.fn() });
  const ids: AlgorithmId[] = ['ml-kem-768', 'ml-dsa-65', 'slh-dsa-sha2-128f'];

  if (opensslHasPostQuantum()) {
    for (const id of ids) generateKeyPairSync(id).exportPrivateKey({ format: 'der' });
    (await generateKeyPair('slh-dsa-shake-128f')).exportPublicKey();
    expect(recorded(dir)).toEqual([
      ...ids.flatMap((id) => [`generateKeyPairSync ${id} ok`, `exportPrivateKey ${id} ok der`]),
      'generateKeyPair slh-dsa-shake-128f ok',
      'exportPublicKey slh-dsa-shake-128f ok pem',
    ]);
  } else {
    for (const id of ids) expect(() => generateKeyPairSync(id)).toThrow(/needs OpenSSL 3\.5/);
    await expect(generateKeyPair('slh-dsa-shake-128f')).rejects.toThrow(/needs OpenSSL 3\.5/);
    expect(recorded(dir)).toEqual([...ids.map((id) => `generateKeyPairSync ${id} error`), 'generateKeyPair slh-dsa-shake-128f error']);
  }
});
