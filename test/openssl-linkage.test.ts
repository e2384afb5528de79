import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

import { expect, it } from 'vitest';

import { generateKeyPairSync, opensslInfo } from '../src/index.js';

it("runs on node:crypto's own OpenSSL", () => {
  const info = opensslInfo();
  expect(info.version).toBe(process.versions.openssl);
  expect(info.nodeCryptoVersion).toBe(process.versions.openssl);
  expect(info.headerVersion).toBe(process.versions.openssl);
  expect(info.providers).toContain('default');
});

it('loads no second libcrypto into the process', () => {
  generateKeyPairSync('ed25519');
  const maps = readFileSync('/proc/self/maps', 'utf8');
  expect(maps).toMatch(/keyscope[^\n]*\.node/);
  expect(maps).not.toMatch(/libcrypto\.so/);
});

it('does not even ask the dynamic linker for libcrypto', () => {
  const require = createRequire(import.meta.url);
  const addon = process.env['KEYSCOPE_ADDON'] ?? require.resolve('../build/Release/keyscope.node');
  const dynamic = execFileSync('readelf', ['-d', fileURLToPath(new URL(`file://${addon}`))], { encoding: 'utf8' });
  const needed = [...dynamic.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
  expect(needed.length).toBeGreaterThan(0);
  expect(needed.filter((lib) => /crypto|ssl/.test(lib!))).toEqual([]);
});
