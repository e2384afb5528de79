import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import { beforeAll, expect, it } from 'vitest';

import { generateKeyPair, generateKeyPairSync, measureKeygen } from '../../src/index.js';

const run = promisify(execFile);
const entry = fileURLToPath(new URL('../../src/index.ts', import.meta.url));

// Seeded keys come from a private OpenSSL library context: node:crypto and keyscope's own keys (the default
// context) must stay as random as ever, in this process and across processes.
beforeAll(async () => {
  await measureKeygen('rsa-1024', { iterations: 2, seed: 1, allowWeak: true, counters: false });
  await measureKeygen('ec-p256', { iterations: 20, seed: 1, counters: false });
});

it("leaves node:crypto's randomBytes random within the process", () => {
  const draws = Array.from({ length: 8 }, () => randomBytes(16).toString('hex'));
  expect(new Set(draws).size).toBe(8);
});

it('leaves generated keys random, sync and async', async () => {
  const der = (pair: ReturnType<typeof generateKeyPairSync>) => pair.exportPublicKey({ format: 'der' }).toString('hex');
  const keys = [der(generateKeyPairSync('ec-p256')), der(generateKeyPairSync('ec-p256')), der(await generateKeyPair('ec-p256')), der(await generateKeyPair('ec-p256'))];
  expect(new Set(keys).size).toBe(4);
});

it('gives two processes that measure with the same seed different randomBytes', async () => {
  // Each child runs a seeded measurement on the same seed, then draws from node:crypto.
  const script = [
    `import { measureKeygen } from ${JSON.stringify(entry)};`,
    `import { randomBytes } from 'node:crypto';`,
    `const m = await measureKeygen('ec-p256', { iterations: 5, seed: 99, counters: false });`,
    `process.stdout.write(JSON.stringify({ iterations: m.iterations, random: randomBytes(16).toString('hex') }));`,
  ].join('\n');
  const child = () => run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
  const [a, b] = await Promise.all([child(), child()]);
  const [first, second] = [JSON.parse(a.stdout), JSON.parse(b.stdout)] as { iterations: number; random: string }[];
  expect(first!.iterations).toBe(5);
  expect(second!.iterations).toBe(5);
  expect(first!.random).toMatch(/^[0-9a-f]{32}$/);
  expect(first!.random).not.toBe(second!.random);
});
