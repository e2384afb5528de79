import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

import { expect, it } from 'vitest';

import { generateKeyPairSync, opensslInfo } from '../../src/index.js';
import { nativeAddonPath } from '../../src/core/native/binding.js';

it("runs on node:crypto's own OpenSSL", () => {
  const info = opensslInfo();
  expect(info.version).toBe(process.versions.openssl);
  expect(info.nodeCryptoVersion).toBe(process.versions.openssl);
  expect(info.providers).toContain('default');
});

it('was compiled against headers no newer than the OpenSSL it runs on', () => {
  // The prebuild is compiled on the oldest runtime keyscope supports (Node 20, OpenSSL 3.0) and runs on newer
  // ones too (Node 24, OpenSSL 3.5), whose libcrypto keeps 3.0's ABI; the reverse could call missing symbols.
  const { version, headerVersion } = opensslInfo();
  const parts = (v: string) => v.split(/[.-]/).slice(0, 3).map(Number);
  expect(headerVersion).toMatch(/^\d+\.\d+\.\d+/);
  const [h, r] = [parts(headerVersion), parts(version)];
  const order = h[0]! - r[0]! || h[1]! - r[1]! || h[2]! - r[2]!;
  expect(order, `headers ${headerVersion}, runtime ${version}`).toBeLessThanOrEqual(0);
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
