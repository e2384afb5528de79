/**
 * What `--quick` does, as the default suite and the budget rules decide it, is what `bench --help` and the
 * documentation say: the same algorithms, the same caps. A change to either the suite or the words fails here.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import { describe, expect, it } from 'vitest';

import { resolveCaseBudget } from '../../src/bench/case-budget.js';
import { builtInSuiteFiles, loadSuite, selectSuiteFiles } from '../../src/bench/discover.js';
import { planCases } from '../../src/bench/run-suites.js';
import { runCli } from '../support/cli.js';
import { section } from '../support/markdown.js';

const root = resolve(import.meta.dirname, '..', '..');
const oneLine = (text: string) => text.replace(/\s+/g, ' ');

async function whatQuickDoes() {
  const [file] = selectSuiteFiles(builtInSuiteFiles(), ['default']);
  const planned = await planCases([await loadSuite(file!)], true);
  const algorithms = (kind: string) => [...new Set(planned.filter((p) => p.definition.kind === kind || (kind === 'keygen' && p.definition.kind !== 'throughput')).map((p) => p.definition.algorithm))].sort();
  const seconds = (ms: number) => `${ms / 1000} s`;
  return {
    keygen: algorithms('keygen'),
    throughput: algorithms('throughput'),
    cap: seconds(resolveCaseBudget('ec-p256', [], true).maxTimeMs),
    rsaCap: seconds(resolveCaseBudget('rsa-2048', [], true).maxTimeMs),
  };
}

function expectToDescribe(text: string, quick: Awaited<ReturnType<typeof whatQuickDoes>>): void {
  const [last, ...others] = [...quick.keygen].reverse();
  expect(text).toContain(`${others.reverse().join(', ')} and ${last}`);
  for (const algorithm of quick.throughput) expect(text).toContain(`${algorithm} throughput`);
  expect(text).toMatch(new RegExp(`\\b${quick.cap.replace('.', '\\.')} \\(RSA ${quick.rsaCap.replace('.', '\\.')}\\)`));
}

describe('--quick', () => {
  it('is described by bench --help as the suite and budgets define it', async () => {
    const quick = await whatQuickDoes();
    expect(quick.keygen).toEqual(['ec-p256', 'ed25519', 'rsa-2048']);
    const help = await runCli(['bench', '--help']);
    expect(help.status).toBe(0);
    const option = /--quick\s+([\s\S]*?)\n\s+--label/.exec(help.stdout)?.[1] ?? '';
    expectToDescribe(oneLine(option), quick);
  });

  it('is described the same way in docs/bench.md, where the README points', async () => {
    const quick = await whatQuickDoes();
    expectToDescribe(oneLine(section(readFileSync(join(root, 'docs', 'bench.md'), 'utf8'), 'Quick runs')), quick);
    expect(readFileSync(join(root, 'README.md'), 'utf8')).toContain('(docs/bench.md#quick-runs)');
  });
});
