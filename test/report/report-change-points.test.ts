/**
 * Change points on the report's history charts: the model finds them in each case's history as keyscope
 * changes does (E-Divisive means on the runs' locations), and the page marks them on the history chart and
 * names them in a note under it. The history: 16 nightly runs measured in four blocks, ed25519 half as slow
 * again from run 9 on, every other case flat.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { RunRecord } from '../../src/model/types.js';
import { generateReport, writeReportFile } from '../../src/report/generate-report.js';
import { buildReportModel, type ReportInput } from '../../src/report/report-model.js';
import type { ReportCase, ReportModel } from '../../src/report/report-types.js';
import { browserAvailability, launchChromium, type LaunchedBrowser } from '../support/browser.js';
import { scaleCase } from '../support/compare-fixtures.js';
import { makeRun } from '../support/store-fixtures.js';

const commitOf = (i: number) => `${String(i).padStart(2, '0')}${'d1e2f3a4b5'.repeat(4)}`.slice(0, 40);

/** `count` nightly runs a day apart, oldest first, ed25519's times scaled by `factor` from run `from` (1-based) on. */
function nightlies(count: number, options: { from?: number; factor?: number; without?: { caseName: string; runs: number } } = {}): RunRecord[] {
  return Array.from({ length: count }, (_, i) => {
    const made = makeRun({
      id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      label: 'nightly',
      startedAt: new Date(Date.UTC(2025, 2, 1 + i, 2, 0, 0)).toISOString(),
      seed: 300 + i,
      samples: 800,
      blockCpus: [2, 2, 3, 3],
    });
    const run = { ...made, git: { ...made.git!, commit: commitOf(i) } };
    const scaled = options.from !== undefined && i + 1 >= options.from ? scaleCase(run, 'ed25519', options.factor ?? 1.5) : run;
    const without = options.without;
    return without && i < without.runs ? { ...scaled, cases: scaled.cases.filter((c) => c.key.case !== without.caseName) } : scaled;
  });
}

/** The newest run reported, with the history given (in any order). */
function inputOf(history: RunRecord[], newest = history[history.length - 1]!): ReportInput {
  return { runs: [newest], comparison: null, history, generatedAt: '2025-03-21T12:00:00.000Z' };
}

function caseNamed(model: ReportModel, name: string): ReportCase {
  const found = model.cases.find((c) => c.key.case === name);
  if (!found) throw new Error(`no case ${name} in the model`);
  return found;
}

const stepped = nightlies(16, { from: 9 });

describe('change points in the report model', () => {
  const model = buildReportModel(inputOf(stepped));

  it('finds the one step of a case whose runs slowed by half from run 9, at index 8, on time per key', () => {
    const { changes } = caseNamed(model, 'ed25519').history;
    expect(changes).toHaveLength(1);
    expect(changes[0]!.index).toBe(8);
    expect(changes[0]!.step).toBeGreaterThan(0.45);
    expect(changes[0]!.step).toBeLessThan(0.55);
    expect(changes[0]!.pValue).toBeLessThanOrEqual(0.05);
    expect(changes[0]!.measure).toBe('time');
  });

  it('finds none in the cases that did not move', () => {
    for (const name of ['ec-p256', 'rsa-2048', 'rsa-8192']) expect(caseNamed(model, name).history.changes, name).toEqual([]);
  });

  it('finds none in a history of four runs, too short to split', () => {
    const short = buildReportModel(inputOf(nightlies(4, { from: 3 })));
    for (const c of short.cases) expect(c.history.changes, c.key.case).toEqual([]);
  });

  it('indexes a change into the whole history, in time order, counting runs where the case is absent', () => {
    // ed25519 missing from the first two runs: the step is the sixth value of its series but the ninth run.
    const gappy = nightlies(16, { from: 9, without: { caseName: 'ed25519', runs: 2 } });
    const shuffled = buildReportModel(inputOf([...gappy.slice(8), ...gappy.slice(0, 8).reverse()], gappy[15]));
    const ed = caseNamed(shuffled, 'ed25519');
    expect(ed.history.states.slice(0, 3)).toEqual(['absent', 'absent', 'completed']);
    expect(ed.history.changes.map((c) => c.index)).toEqual([8]);
  });
});

const browser = browserAvailability();
const artifacts = resolve(import.meta.dirname, '..', '..', 'test-artifacts');

interface CanvasLike {
  width: number;
  height: number;
  getContext(kind: '2d'): { getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray } } | null;
}

/** Pixels of a canvas close to the report's red, #dc2626 (a thin dashed line: edge pixels are partly transparent). */
function redPixels(canvas: Locator): Promise<number> {
  return canvas.evaluate((node) => {
    const c = node as unknown as CanvasLike;
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    let red = 0;
    for (let i = 0; i < data.length; i += 4) if (data[i + 3]! > 60 && data[i]! > 180 && data[i + 1]! < 90 && data[i + 2]! < 90) red++;
    return red;
  });
}

describe.skipIf(!browser.available && !browser.required)(`change points in the report, in a browser (${browser.reason})`, () => {
  let launched: LaunchedBrowser;
  let page: Page;
  let model: ReportModel;
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    const generated = generateReport(inputOf(stepped));
    model = generated.model;
    mkdirSync(artifacts, { recursive: true });
    const path = await writeReportFile(join(artifacts, 'report-change-points.html'), generated.html);

    launched = await launchChromium();
    page = await launched.context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
    // Every algorithm's group of cases, and every case in it, opened: each case draws its charts when first shown.
    await page.$$eval('details.case-group, details.case-detail', (all) => all.forEach((details) => ((details as unknown as { open: boolean }).open = true)));
    await page.locator('.uplot canvas').first().waitFor();
    // uPlot commits its first draw in a microtask: one frame later every chart is painted.
    await page.evaluate(() => new Promise((done) => (globalThis as unknown as { requestAnimationFrame(f: () => void): void }).requestAnimationFrame(() => done(null))));
  });

  afterAll(async () => {
    await launched?.close();
  });

  const section = (name: string) => page.locator('section.case', { has: page.locator('h3', { hasText: name }) });
  const historyCanvas = (name: string) => section(name).locator('figure.chart', { hasText: 'History: median per run' }).locator('.uplot canvas');

  it("names the step under the case's history: its size, the run it starts from, the commits either side and p", async () => {
    const change = caseNamed(model, 'ed25519').history.changes[0]!;
    const percent = Number((change.step * 100).toPrecision(3));
    const note = section('ed25519').locator('p.note.change-points');
    expect(await note.count()).toBe(1);
    expect(await note.textContent()).toBe(
      `Change points (E-Divisive means): +${percent}% from run #9 between ${commitOf(7).slice(0, 10)} and ${commitOf(8).slice(0, 10)}, p = ${change.pValue.toFixed(3)}.`,
    );
    expect(await note.textContent()).toMatch(/^Change points \(E-Divisive means\): \+(4[5-9]|5[0-4])(\.\d)?% from run #9 /);
  });

  it('says nothing of change points under a case that did not move', async () => {
    expect(await section('ec-p256').locator('p.note.change-points').count()).toBe(0);
    expect(await section('ec-p256').locator('figure.chart', { hasText: 'History: median per run' }).textContent()).not.toContain('red lines');
    expect(await section('ed25519').locator('figure.chart', { hasText: 'History: median per run' }).textContent()).toContain('red lines: change points');
  });

  it('draws the change as a red line on the history chart, and nothing red on a flat one', async () => {
    expect(await redPixels(historyCanvas('ed25519'))).toBeGreaterThan(100);
    expect(await redPixels(historyCanvas('ec-p256'))).toBe(0);
  });

  it('loads without console or page errors', () => {
    expect(pageErrors).toEqual([]);
    expect(consoleErrors).toEqual([]);
  });
});
