/**
 * The report of a run the size of a real default run (70 cases, test/support/default-size-runs.ts), compared
 * with its baseline, in headless Chromium at 1280 px wide: the verdict comes first (gate result and counts),
 * the environment after the cases, every case folded, and the page under 10,000 px tall before anything is
 * unfolded (a default run's report was 62,000 px, the environment before the verdict). A case opened draws its
 * charts.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { compareRuns } from '../../src/compare/compare-runs.js';
import { referenceOf } from '../../src/compare/resolve-runs.js';
import { generateReport, writeReportFile } from '../../src/report/generate-report.js';
import { browserAvailability, launchChromium, type LaunchedBrowser } from '../support/browser.js';
import { defaultSizedRuns } from '../support/default-size-runs.js';

const browser = browserAvailability();
const artifacts = resolve(import.meta.dirname, '..', '..', 'test-artifacts');

interface Box {
  top: number;
}

describe.skipIf(!browser.available && !browser.required)(`the report of a default-sized run (${browser.reason})`, () => {
  let launched: LaunchedBrowser;
  let page: Page;
  const pageErrors: string[] = [];
  let caseCount = 0;

  beforeAll(async () => {
    const [baseline, candidate] = await defaultSizedRuns();
    caseCount = candidate.cases.length;
    const comparison = compareRuns({ run: baseline, reference: referenceOf({ run: baseline, source: 'store' }) }, { run: candidate, reference: referenceOf({ run: candidate, source: 'store' }) });
    const { html } = generateReport({ runs: [baseline, candidate], comparison, history: [baseline, candidate], generatedAt: '2026-12-06T21:00:00.000Z' });
    mkdirSync(artifacts, { recursive: true });
    const path = await writeReportFile(join(artifacts, 'report-default-size.html'), html);
    launched = await launchChromium();
    page = await launched.context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    await page.waitForSelector('footer');
  }, 60_000);

  afterAll(async () => {
    await launched?.close();
  });

  it('is the size of a default run', () => {
    expect(caseCount).toBeGreaterThanOrEqual(70);
  });

  it('is under 10,000 px tall at 1280 px wide before anything is unfolded', async () => {
    const height = await page.evaluate(() => (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } }).document.documentElement.scrollHeight);
    console.log(`report of ${caseCount} cases: ${height} px tall at 1280 px`);
    expect(height).toBeLessThan(10_000);
    expect(pageErrors).toEqual([]);
  });

  it('puts the verdict first: the gate result and the counts, before the cases and the environment', async () => {
    const top = (id: string) =>
      page.evaluate((which) => (globalThis as unknown as { document: { getElementById(id: string): { getBoundingClientRect(): Box } | null } }).document.getElementById(which)?.getBoundingClientRect().top ?? Number.NaN, id);
    const verdict = await top('verdict');
    expect(await page.locator('#verdict').innerText()).toMatch(/regressed[\s\S]*improved[\s\S]*unchanged[\s\S]*inconclusive/);
    expect(await page.locator('#verdict .gate').innerText()).toMatch(/^Gate (failed|passed)/);
    expect(verdict).toBeLessThan(await top('comparison'));
    expect(await top('comparison')).toBeLessThan(await top('cases'));
    expect(await top('cases')).toBeLessThan(await top('environment'));
  });

  it('prints an interval it cannot bound in words, never as [-100%, ?]', async () => {
    const table = await page.locator('table.comparison').innerText();
    expect(table).toMatch(/too few samples: \d+ more needed/);
    expect(table).not.toMatch(/-100(\.0)?%|\?/);
    const rows = await page.locator('table.comparison tbody tr .case-name').allTextContents();
    expect(new Set(rows).size).toBe(rows.length);
  });

  it('folds every case, and a case opened draws its charts', async () => {
    const folded = await page.locator('section.case details.case-detail:not([open])').count();
    expect(folded).toBe(caseCount);
    const first = page.locator('section.case details.case-detail').nth(6);
    await first.locator('summary').click();
    await page.waitForFunction(() => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('.uplot canvas').length > 0);
    expect(await first.locator('.uplot canvas').count()).toBeGreaterThanOrEqual(2);
    expect(pageErrors).toEqual([]);
  });
});
