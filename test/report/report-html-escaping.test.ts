import { describe, expect, it } from 'vitest';

import { generateReport } from '../../src/report/generate-report.js';
import { embedJson, escapeHtml, renderReportHtml } from '../../src/report/render-html.js';
import type { ReportAssets } from '../../src/report/report-assets.js';
import { buildReportModel } from '../../src/report/report-model.js';
import { completedCase, handComparison, HOSTILE_CASE, HOSTILE_SUITE, makeReportRun } from '../support/report-fixtures.js';

const IMG_CASE = '<img src=x onerror=alert(document.domain)>';
const SEPARATORS = 'line\u2028para\u2029end';

const baseline = makeReportRun({
  id: '11111111-1111-4111-8111-111111111111',
  label: '</title><script>alert("label")</script>',
  startedAt: '2025-03-20T10:00:00.000Z',
  seed: 1,
  extraCases: [
    completedCase({ suite: '<!--', case: IMG_CASE, implementation: '"><svg onload=alert(1)>', algorithm: '&amp;' }, Float64Array.of(10, 11, 12, 13)),
    { state: 'skipped', key: { suite: 'keygen', case: SEPARATORS, implementation: 'keyscope', algorithm: '' }, parameters: {}, reason: '</SCRIPT >\u2028<script>' },
  ],
});
const candidate = makeReportRun({ id: '22222222-2222-4222-8222-222222222222', label: 'candidate', startedAt: '2025-03-21T10:00:00.000Z', seed: 2 });

/** The text of the data element, cut out of the HTML as a browser's tokenizer would: up to the first `</script`. */
function embeddedData(html: string): string {
  const open = '<script type="application/json" id="keyscope-data">';
  const start = html.indexOf(open);
  expect(start).toBeGreaterThan(0);
  const from = start + open.length;
  return html.slice(from, html.toLowerCase().indexOf('</script', from));
}

describe('report HTML escaping', () => {
  const { html, model } = generateReport({ runs: [baseline, candidate], comparison: handComparison(baseline, candidate), history: [baseline, candidate], generatedAt: 'now' });

  it('embeds the model so that parsing the script element gives the model back, hostile names included', () => {
    const parsed: unknown = JSON.parse(embeddedData(html));
    expect(parsed).toEqual(JSON.parse(JSON.stringify(model)));
    const names = model.cases.map((c) => c.key.case);
    expect(names).toContain(HOSTILE_CASE);
    expect(names).toContain(IMG_CASE);
    expect(names).toContain(SEPARATORS);
    expect(model.cases.map((c) => c.key.suite)).toContain(HOSTILE_SUITE);
  });

  it('leaves nothing in the data that could end or change the script element', () => {
    const data = embeddedData(html);
    expect(data).not.toMatch(/[<>&\u2028\u2029]/);
    expect(data).toContain('\\u003c/script\\u003e\\u003cscript\\u003ealert(1)');
    expect(data).toContain('\\u2028');
    // Exactly three scripts: the data, uPlot and the report's; none came from a name.
    expect(html.match(/<script\b/gi)).toHaveLength(3);
    expect(html.match(/<\/script\s*>/gi)).toHaveLength(3);
  });

  it('has no user text in the markup outside the data; the title is escaped', () => {
    const outsideData = html.replace(embeddedData(html), '');
    for (const text of [HOSTILE_CASE, IMG_CASE, '<svg', 'onerror', 'alert("label")']) expect(outsideData).not.toContain(text);
    const title = /<title>([^<]*)<\/title>/.exec(renderReportHtml(buildReportModel({ runs: [baseline], comparison: null, history: [], generatedAt: 'now' })));
    expect(title![1]).toBe('keyscope: &#60;/title&#62;&#60;script&#62;alert(&#34;label&#34;)&#60;/script&#62;');
  });

  it('escapes for HTML text and embeds JSON with \\u escapes that JSON.parse reads back', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&#60;a href=&#34;x&#34; title=&#39;y&#39;&#62;&#38;amp;&#60;/a&#62;');
    const value = { s: '</script><!-- & \u2028\u2029 >', n: [1.5, null] };
    const embedded = embedJson(value);
    expect(embedded).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(embedded)).toEqual(value);
  });

  it('refuses to inline an asset that would end its own element', () => {
    const assets: ReportAssets = { chartScript: 'var a = "</script>";', chartStyle: '', reportScript: '', reportStyle: '' };
    expect(() => renderReportHtml(model, assets)).toThrow(/cannot be inlined/);
    expect(() => renderReportHtml(model, { ...assets, chartScript: '', reportStyle: 'a{}</style>' })).toThrow(/cannot be inlined/);
  });

  it('keeps the client script away from markup: text nodes only', async () => {
    const { readFile } = await import('node:fs/promises');
    const script = await readFile(new URL('../../assets/report/report.js', import.meta.url), 'utf8');
    for (const sink of ['innerHTML', 'outerHTML', 'insertAdjacentHTML', 'document.write', 'eval(', 'new Function']) expect(script).not.toContain(sink);
  });
});
