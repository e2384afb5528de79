/**
 * With node --secure-heap, OpenSSL's secure allocations come from a separate arena that plain free() must never
 * see. keyscope's exports allocate around that arena: the seed-form PKCS#8 of ML-KEM and ML-DSA (OpenSSL 3.5)
 * once took its buffer from the secure heap, which the PKCS#8 then freed with OPENSSL_free, and the process
 * aborted with "free(): invalid pointer". Every family is exported here, plain and encrypted, in a child process
 * started with a secure heap; on OpenSSL 3.0 (Node 20) the post-quantum ids are left out, as it has none.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

import { expect, it } from 'vitest';

import { listAlgorithms } from '../../src/index.js';

const dist = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

it('exports every supported family under node --secure-heap without corrupting the heap', () => {
  const ids = listAlgorithms().filter((a) => a.supported && !/^rsa-(3072|4096)$/.test(a.id) && !/-(192|256)s$/.test(a.id)).map((a) => a.id);
  const script = `
    const { generateKeyPairSync } = await import(${JSON.stringify(dist)});
    for (const id of ${JSON.stringify(ids)}) {
      for (let i = 0; i < 3; i++) {
        const pair = generateKeyPairSync(id);
        pair.exportPrivateKey({ format: 'der' });
        pair.exportPrivateKey({ format: 'pem', passphrase: 'correct horse' });
        pair.exportPublicKey();
      }
    }
    process.stdout.write('exported ' + ${ids.length});`;
  const child = spawnSync(process.execPath, ['--secure-heap=65536', '--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(child.stderr).toBe('');
  expect(child.stdout).toBe(`exported ${ids.length}`);
  expect(child.status).toBe(0);
}, 120_000);
