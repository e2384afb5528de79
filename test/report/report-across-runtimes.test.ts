/**
 * The HTML report of a comparison across runtimes (keyscope report --across-runtimes), from the real Node 20 and
 * Node 24 runs: its model names the runtimes and carries each RSA case's search explanation as compare words it,
 * and the page, opened in headless Chromium, shows both in its comparison section.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { compareRuns, referenceOf, searchLines } from '../../src/compare/index.js';
import { collectReportInput, generateReport, REPORT_MODEL_VERSION, type ReportModel, writeReportFile } from '../../src/report/index.js';
import { browserAvailability, launchChromium, type LaunchedBrowser } from '../support/browser.js';
import { node20File, node24File, runtimeRuns } from '../support/runtime-fixtures.js';

const browser = browserAvailability();
const artifacts = resolve(import.meta.dirname, '..', '..', 'test-artifacts');
const noStore = () => Promise.reject(new Error('exported files need no store'));

let model: ReportModel;
let html: string;
/** compare's own explanation lines, "name: reading", to hold the report to. */
let compareLines: string[];

beforeAll(async () => {
  const input = await collectReportInput([node20File, node24File], noStore, { acrossRuntimes: true });
  ({ model, html } = generateReport(input));
  const { node20, node24 } = await runtimeRuns();
  const side = (run: typeof node20, source: string) => ({ run, reference: referenceOf({ run, source }) });
  compareLines = searchLines(compareRuns(side(node20, node20File), side(node24, node24File), { threshold: '5%', confidence: '99%', acrossRuntimes: true })).slice(1);
});

describe('report model across runtimes', () => {
  it('names the runtimes compared and their machine', () => {
    expect(model.version).toBe(REPORT_MODEL_VERSION);
    expect(REPORT_MODEL_VERSION).toBe(4);
    expect(model.comparison!.runtimes).toMatchObject({
      baseline: { node: 'v20.20.2', openssl: '3.0.19' },
      candidate: { node: 'v24.22.3', openssl: '3.5.9' },
      differ: true,
      line: 'Node v20.20.2 (OpenSSL 3.0.19) -> Node v24.22.3 (OpenSSL 3.5.9), same machine (AMD EPYC, 2 cores, linux x64)',
    });
  });

  it("carries each RSA case's explanation as compare words it, and none for EC", () => {
    const rows = model.comparison!.cases.flatMap((c) => (c.state === 'compared' && c.search ? [`${c.label}: ${c.search.reading}`] : []));
    expect(rows).toEqual(compareLines);
    expect(rows).toHaveLength(2);
    const rsa = model.comparison!.cases.find((c) => c.key.case === 'keygen' && c.key.algorithm === 'rsa-2048');
    expect(rsa).toMatchObject({ state: 'compared', search: { keys: 'independent', cause: 'per-candidate', searchChanged: false } });
    const ec = model.comparison!.cases.find((c) => c.key.algorithm === 'ec-p256');
    expect(ec).toMatchObject({ state: 'compared', search: null });
  });
});

describe.skipIf(!browser.available && !browser.required)(`report across runtimes in a browser (${browser.reason})`, () => {
  let launched: LaunchedBrowser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    mkdirSync(artifacts, { recursive: true });
    const path = await writeReportFile(join(artifacts, 'report-across-runtimes.html'), html);
    launched = await launchChromium();
    page = await launched.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
  });

  afterAll(async () => {
    await launched?.close();
  });

  it('heads its comparison with the runtimes, and lists Node and OpenSSL as compared, not as a warning', async () => {
    expect(pageErrors).toEqual([]);
    const section = page.locator('#comparison');
    expect(await section.locator('h2').first().textContent()).toBe('Runtimes compared');
    expect(await section.locator('p.runtimes').textContent()).toBe(
      "Runtimes: Node v20.20.2 (OpenSSL 3.0.19) -> Node v24.22.3 (OpenSSL 3.5.9), same machine (AMD EPYC, 2 cores, linux x64). A regression is a case slower on the candidate's runtime.",
    );
    expect(await section.locator('.env-diff summary .warn').count()).toBe(0);
    const rows = await section.locator('table.environment-differences tr').allTextContents();
    const runtimeRows = rows.filter((row) => row.startsWith('node') || row.startsWith('openssl'));
    expect(runtimeRows).toEqual(['nodev20.20.2v24.22.3compared', 'openssl3.0.193.5.9compared']);
  });

  it("shows each RSA case's explanation under its verdict when its algorithm is unfolded", async () => {
    await page.locator('table.comparison tr.group-head .group-toggle', { hasText: 'rsa-2048' }).click();
    const shown = await page.locator('table.comparison tr.case-row:visible .search').allTextContents();
    expect(shown).toEqual(compareLines.map((line) => `Search: ${line.slice(line.indexOf(': ') + 2)}`));
    expect(shown[0]).toMatch(/^Search: 72% less time per key \(0\.28x, 0\.23\.\.0\.34\) = 1\.03x candidates per key/);
  });
});
