/**
 * `keyscope info` and `keyscope algorithms` say what runs where: the runtime, the OpenSSL it runs (and the headers
 * the addon was built with), and which post-quantum keys that OpenSSL has, decided by asking it. CI runs this on
 * Node 20 (OpenSSL 3.0: none) and Node 24 (OpenSSL 3.5: all three families).
 */
import { describe, expect, it } from 'vitest';

import { opensslHasPostQuantum, postQuantumAlgorithms } from '../support/algorithms.js';
import { runCli } from '../support/cli.js';

describe('keyscope info', () => {
  it('names the runtime, its OpenSSL and the post-quantum families it has', async () => {
    const result = await runCli(['info']);
    expect(result.status).toBe(0);
    const lines = result.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(new RegExp(`^keyscope \\d+\\.\\d+\\.\\d+ on Node ${process.versions.node.replace(/\./g, '\\.')}$`));
    expect(lines[1]).toMatch(new RegExp(`^OpenSSL ${process.versions.openssl.replace(/\./g, '\\.')} \\(headers \\d+\\.\\d+\\.\\d+; node:crypto `));
    expect(lines[3]).toBe(
      opensslHasPostQuantum()
        ? 'post-quantum keys: ML-KEM, ML-DSA, SLH-DSA (18 parameter sets)'
        : `post-quantum keys: none on OpenSSL ${process.versions.openssl} (ML-KEM, ML-DSA and SLH-DSA need OpenSSL 3.5, as in Node 24)`,
    );
  });

  it('gives the same in JSON', async () => {
    const info = JSON.parse((await runCli(['info', '--json'])).stdout) as { node: string; version: string; postQuantum: { supported: string[]; unsupported: string[] } };
    expect(info.node).toBe(process.versions.node);
    expect(info.version).toBe(process.versions.openssl);
    const [supported, unsupported] = opensslHasPostQuantum() ? [postQuantumAlgorithms, []] : [[], postQuantumAlgorithms];
    expect(info.postQuantum).toEqual({ supported, unsupported });
  });
});

describe('keyscope algorithms', () => {
  it('lines its columns up however long an id is', async () => {
    const lines = (await runCli(['algorithms'])).stdout.trimEnd().split('\n');
    expect(lines.length).toBeGreaterThanOrEqual(29);
    const bitsColumn = new Set(lines.map((line) => line.search(/\d+-bit/) + line.match(/\d+-bit/)![0].length));
    expect(bitsColumn.size).toBe(1);
    expect(lines.find((line) => line.startsWith('slh-dsa-shake-256s '))).toMatch(/ slh-dsa +256-bit {2}sign {9}(supported|unsupported: .*OpenSSL 3\.5)/);
  });
});
