/**
 * compareRuns' acrossRuntimes: one machine's runs under two runtimes are compared on purpose. The comparison names
 * the runtimes instead of warning that the software differs, refuses runs of two machines, and says when the
 * runtimes are in fact the same. Real runs: Node 20 (OpenSSL 3.0) and Node 24 (OpenSSL 3.5) on one VM.
 */
import { beforeAll, describe, expect, it } from 'vitest';

import { compareRuns, formatMarkdown, formatText, referenceOf } from '../../src/compare/index.js';
import { ErrorCodes, KeyscopeError } from '../../src/core/index.js';
import type { RunRecord } from '../../src/model/index.js';
import { runtimeRuns } from '../support/runtime-fixtures.js';

const side = (run: RunRecord) => ({ run, reference: referenceOf({ run, source: 'test' }) });
const settings = { threshold: '5%', confidence: '99%', acrossRuntimes: true } as const;

describe('compareRuns across runtimes', () => {
  let node20: RunRecord;
  let node24: RunRecord;
  beforeAll(async () => {
    ({ node20, node24 } = await runtimeRuns());
  });

  it('names the runtimes and their one machine', () => {
    const comparison = compareRuns(side(node20), side(node24), settings);
    expect(comparison.runtimes).toEqual({
      baseline: { node: 'v20.20.2', openssl: '3.0.19' },
      candidate: { node: 'v24.22.3', openssl: '3.5.9' },
      differ: true,
      machine: { cpuModel: 'AMD EPYC', cores: 2, platform: 'linux', arch: 'x64' },
    });
    expect(comparison.notices).toEqual([]);
    // The fingerprints' differences are still recorded as they are: Node and OpenSSL move timings.
    expect(comparison.environment.differences.filter((d) => d.significant).map((d) => d.field)).toEqual(['node', 'openssl']);
    expect(compareRuns(side(node20), side(node24), { threshold: '5%', confidence: '99%' }).runtimes).toBeNull();
  });

  it('frames the text and markdown as a comparison of runtimes, not a warning', () => {
    const comparison = compareRuns(side(node20), side(node24), settings);
    const text = formatText(comparison);
    expect(text.split('\n')[0]).toMatch(/^keyscope compare across runtimes: threshold 5%/);
    expect(text).toContain('\nruntimes: Node v20.20.2 (OpenSSL 3.0.19) -> Node v24.22.3 (OpenSSL 3.5.9), same machine (AMD EPYC, 2 cores, linux x64)\n');
    expect(text).not.toMatch(/WARNING|! node:|! openssl:/);
    const markdown = formatMarkdown(comparison);
    expect(markdown).toMatch(/^### keyscope across runtimes: /);
    expect(markdown).toContain('**Runtimes compared:** Node v20.20.2 \\(OpenSSL 3.0.19\\) -\\> Node v24.22.3 \\(OpenSSL 3.5.9\\), same machine');
    expect(markdown).not.toMatch(/\[!WARNING\]|\| \*\*node\*\* \|/);
    // The same runs without the opt-in: the warning, as before.
    const plain = formatText(compareRuns(side(node20), side(node24), { threshold: '5%', confidence: '99%' }));
    expect(plain).toMatch(/WARNING: the runs used different software/);
    expect(plain).toMatch(/ {2}! node: v20\.20\.2 {2}-> {2}v24\.22\.3/);
  });

  it('still warns about what else differs: another addon build', () => {
    const prebuild = { ...node24, environment: { ...node24.environment, addonBuild: 'prebuild' as const } };
    const text = formatText(compareRuns(side(node20), side(prebuild), settings));
    expect(text).toMatch(/\nruntimes: Node v20\.20\.2 .* same machine/);
    expect(text).toMatch(/\nWARNING: besides the runtime, the runs differ in addonBuild; timings may differ for that reason too\n {2}! addonBuild: release {2}-> {2}prebuild\n/);
  });

  it('refuses runs of two machines, naming what differs', () => {
    const elsewhere = { ...node24, environment: { ...node24.environment, cpuModel: 'Intel Xeon Platinum 8375C', cores: 4 } };
    let thrown: unknown;
    try {
      compareRuns(side(node20), side(elsewhere), settings);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(KeyscopeError);
    expect((thrown as KeyscopeError).code).toBe(ErrorCodes.environmentMismatch);
    expect((thrown as KeyscopeError).message).toBe(
      'across runtimes: the runs were measured on different machines (cpuModel, cores differ); a comparison of runtimes needs both runs from one machine',
    );
    // Without the opt-in, the same runs are compared with a warning, as always.
    expect(compareRuns(side(node20), side(elsewhere), { threshold: '5%', confidence: '99%' }).environment.sameMachine).toBe(false);
  });

  it('says so when the runtimes are the same, and compares all the same', () => {
    const comparison = compareRuns(side(node20), side(node20), settings);
    expect(comparison.runtimes?.differ).toBe(false);
    expect(comparison.notices).toEqual(['across runtimes: both runs used Node v20.20.2 (OpenSSL 3.0.19), so no runtime differs; compared as two runs of one runtime']);
    expect(comparison.cases.every((c) => c.state === 'compared')).toBe(true);
    expect(formatText(comparison)).toContain('\nruntimes: Node v20.20.2 (OpenSSL 3.0.19) on both sides, same machine (AMD EPYC, 2 cores, linux x64)\n');
  });
});
