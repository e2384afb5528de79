import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { expect, it } from 'vitest';

import { generateKeyPairSync, opensslInfo } from '../../src/index.js';
import { nativeAddonPath } from '../../src/core/native/binding.js';

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
  // The addon this process loaded: the local build, a prebuild (after `npm pack` moves the build there), or the
  // sanitizer build named by KEYSCOPE_ADDON.
  const dynamic = execFileSync('readelf', ['-d', nativeAddonPath], { encoding: 'utf8' });
  const needed = [...dynamic.matchAll(/\(NEEDED\)\s+Shared library: \[([^\]]+)\]/g)].map((m) => m[1]);
  expect(needed.length).toBeGreaterThan(0);
  expect(needed.filter((lib) => /crypto|ssl/.test(lib!))).toEqual([]);
});
