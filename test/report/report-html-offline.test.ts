import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

import { describe, expect, it } from 'vitest';

import { generateReport } from '../../src/report/generate-report.js';
import { handComparison, makeHistory, makeReportRun } from '../support/report-fixtures.js';

const baseline = makeReportRun({ id: '11111111-1111-4111-8111-111111111111', label: 'baseline', startedAt: '2025-03-20T10:00:00.000Z', seed: 1 });
const candidate = makeReportRun({ id: '22222222-2222-4222-8222-222222222222', label: 'candidate', startedAt: '2025-03-21T10:00:00.000Z', seed: 2, slowdown: 1.08 });

describe('report HTML is one self-contained file', () => {
  const { html, bytes } = generateReport({
    runs: [baseline, candidate],
    comparison: handComparison(baseline, candidate),
    history: [...makeHistory(20), baseline, candidate],
    generatedAt: '2025-03-21T12:00:00.000Z',
  });

  it('references nothing outside itself: every src and href is a data: URL', () => {
    // The markup without the contents of its script and style elements (which are code and data, not tags).
    const markup = html.replace(/(<(script|style)\b[^>]*>)[\s\S]*?(<\/\2>)/gi, '$1$3');
    const tags = [...markup.matchAll(/<[a-z][^>]*>/gi)].map((m) => m[0]);
    const references = tags.flatMap((tag) => [...tag.matchAll(/\s(src|href|action|srcset|poster|data|formaction)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi)].map((m) => m[2]!));
    expect(references).toEqual(['"data:,"']); // the favicon, so the browser does not ask for /favicon.ico
    expect(tags.filter((tag) => /^<(script|link|img|iframe|object|embed|audio|video|source|base)\b/i.test(tag))).toEqual([
      '<link rel="icon" href="data:,">',
      '<script type="application/json" id="keyscope-data">',
      '<script>',
      '<script>',
    ]);
    // The only URL anywhere, code included, is the one in uPlot's licence banner.
    expect([...html.matchAll(/(https?:)?\/\/[a-z0-9.-]+\.[a-z]{2,}[^\s"'<>)]*/gi)].map((m) => m[0])).toEqual(['https://github.com/leeoniya/uPlot']);
    expect(html).toContain('/*! https://github.com/leeoniya/uPlot');
    expect(html).not.toMatch(/@import|url\(/i);
  });

  it('says so to the browser: a Content-Security-Policy that allows no fetch at all', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html)![1]!.replace(/&#39;/g, "'");
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("script-src 'unsafe-inline'");
    expect(csp).toContain("style-src 'unsafe-inline'");
    expect(csp).toContain('img-src data:');
    expect(csp).not.toMatch(/https?:|\*/);
    expect(html).toContain('<link rel="icon" href="data:,">');
  });

  it('inlines uPlot and the report assets', () => {
    const require = createRequire(import.meta.url);
    const uplot = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8');
    expect(html).toContain(uplot);
    expect(html).toContain(readFileSync(new URL('../../assets/report/report.js', import.meta.url), 'utf8'));
    expect(html).toContain(readFileSync(new URL('../../assets/report/report.css', import.meta.url), 'utf8'));
    expect(html.startsWith('<!doctype html>')).toBe(true);
  });

  it('stays small: two runs, eight cases and twenty-two runs of history in well under 300 KB', () => {
    expect(bytes).toBe(Buffer.byteLength(html));
    expect(bytes).toBeLessThan(300_000);
  });
});
