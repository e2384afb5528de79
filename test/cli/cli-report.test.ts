import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import { beforeAll, describe, expect, it } from 'vitest';

import { openStore } from '../../src/store/index.js';
import { runCli } from '../support/cli.js';
import { runPair, scaleCase } from '../support/compare-fixtures.js';

// Inside the package (test-artifacts/ is git-ignored) so that the suite resolves 'keyscope' to this checkout.
const artifacts = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
mkdirSync(artifacts, { recursive: true });
const dir = mkdtempSync(join(artifacts, 'cli-report-'));
const db = join(dir, 'store.duckdb');
const { baseline, candidate } = runPair();
const slower = scaleCase(candidate, 'ed25519', 1.12);
const exported = join(dir, 'baseline.json');

/** The view model the report embeds, read back from the HTML. */
function embeddedModel(html: string): { runs: { id: string }[]; comparison: { counts: { regressed: number } } | null } {
  const match = /<script type="application\/json" id="keyscope-data">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('no embedded data');
  return JSON.parse(match[1]!) as ReturnType<typeof embeddedModel>;
}

beforeAll(async () => {
  const store = await openStore(db);
  try {
    await store.saveRun(baseline);
    await store.saveRun(slower);
    await store.exportRun(baseline.id, exported);
  } finally {
    await store.close();
  }
});

describe('keyscope report', () => {
  it('reports the latest run against its baseline by default', async () => {
    const out = join(dir, 'latest.html');
    const result = await runCli(['report', '--db', db, '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^comparison report written to .*latest\.html \(\d+ KiB\)\n$/);
    const model = embeddedModel(readFileSync(out, 'utf8'));
    expect(model.runs.map((r) => r.id)).toEqual([baseline.id, slower.id]);
    expect(model.comparison!.counts.regressed).toBe(1);
  });

  it('reports named runs, an exported file among them, and one run alone', async () => {
    const out = join(dir, 'named.html');
    expect((await runCli(['report', exported, slower.id.slice(0, 8), '--db', db, '--out', out])).status).toBe(0);
    expect(embeddedModel(readFileSync(out, 'utf8')).runs.map((r) => r.id)).toEqual([baseline.id, slower.id]);
    const single = join(dir, 'single.html');
    const alone = await runCli(['report', 'baseline', '--db', db, '--out', single]);
    expect(alone.stdout).toMatch(/^report written to/);
    expect(embeddedModel(readFileSync(single, 'utf8')).comparison).toBeNull();
  });

  it('exits 2 with one line for bad input, writing nothing', async () => {
    const out = join(dir, 'never.html');
    for (const [args, message] of [
      [['nonesuch'], /KS_RUN_NOT_FOUND/],
      [['--history', '-1'], /KS_USAGE: --history must be a whole number/],
      [['--threshold', 'x'], /KS_USAGE: --threshold/],
    ] as const) {
      const result = await runCli(['report', ...args, '--db', db, '--out', out]);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
    expect(existsSync(out)).toBe(false);
  });

  it('is written after a bench run with --report', async () => {
    writeFileSync(
      join(dir, 'tiny.suite.ts'),
      `import { defineSuite } from 'keyscope';
export default defineSuite({ name: 'tiny', budget: { maxTimeMs: 150 }, cases: () => [{ kind: 'native', name: 'keygen', algorithm: 'ed25519' }] });
`,
    );
    const benchDb = join(dir, 'bench.duckdb');
    const out = join(dir, 'reports', 'latest.html');
    const result = await runCli(['bench', 'tiny', '--dir', dir, '--db', benchDb, '--report', out, '--no-pin'], { cwd: dir });
    expect(result.status).toBe(0);
    expect(result.stderr).toMatch(/report written to .*latest\.html/);
    const model = embeddedModel(readFileSync(out, 'utf8'));
    expect(model.runs).toHaveLength(1);
    expect(model.comparison).toBeNull();
  });
});
