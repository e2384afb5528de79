/**
 * Exports of a view: /api/export.csv answers the page's tables as RFC 4180 CSV (hostile text quoted and
 * defused), /export.html one self-contained file: the app inlined, no external reference, and the snapshot
 * JSON of the view's data (the same JSON the endpoints answer) with `<` escaped so no string can end the
 * script element.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ApiError, ErrorsData, OverviewData, ViewState } from '../../src/dashboard/http/api-types.js';
import {
  ensureUiBuilt,
  fixtureFingerprint,
  fixtureHome,
  fixtureRange,
  hostileMessage,
  startTestDashboard,
  type TestDashboard,
  withRange,
} from '../support/dashboard-fixtures.js';

let dashboard: TestDashboard;

beforeAll(async () => {
  ensureUiBuilt();
  dashboard = await startTestDashboard(await fixtureHome('keyscope-dashboard-export-'));
});

afterAll(async () => {
  await dashboard?.close();
});

/** Splits CSV text into `# name` tables of rows (enough of RFC 4180 for these files: quoted fields, CRLF). */
function parseCsv(text: string): Map<string, string[][]> {
  const tables = new Map<string, string[][]>();
  let rows: string[][] = [];
  let field = '';
  let row: string[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      field = '';
      i++;
      if (row.length === 1 && row[0]!.startsWith('# ')) tables.set(row[0]!.slice(2), (rows = []));
      else if (!(row.length === 1 && row[0] === '')) rows.push(row);
      row = [];
    } else field += c;
  }
  return tables;
}

describe('GET /api/export.csv', () => {
  it('answers the overview tables', async () => {
    const response = await dashboard.get(withRange('/api/export.csv', { page: 'overview' }));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="keyscope-overview-[\d-T]+\.csv"$/);
    const text = await response.text();
    expect(text.startsWith('# totals\r\nmetric,value,previous\r\n')).toBe(true);
    const tables = parseCsv(text);
    expect([...tables.keys()]).toEqual(['totals', 'top algorithms', 'keys over time', 'errors over time']);
    expect(tables.get('totals')!.slice(0, 4)).toEqual([
      ['metric', 'value', 'previous'],
      ['keys', '4', '1'],
      ['errors', '2', '0'],
      ['success rate', '0.75', ''],
    ]);
    expect(tables.get('top algorithms')).toEqual([
      ['algorithm', 'keys', 'share'],
      ['ed25519', '3', '0.75'],
      ['rsa-2048', '1', '0.25'],
    ]);
  });

  it('quotes hostile text and keeps a spreadsheet from running it', async () => {
    const text = await (await dashboard.get(withRange('/api/export.csv', { page: 'errors' }))).text();
    const groups = parseCsv(text).get('error groups')!;
    expect(groups[0]).toEqual(['fingerprint', 'status', 'error_type', 'code', 'message', 'count', 'count_in_range', 'first_seen', 'last_seen', 'versions']);
    expect(groups[1]!.slice(0, 6)).toEqual([fixtureFingerprint, 'open', 'OpenSSLError', 'KS_OPENSSL', hostileMessage, '2']);
    // The message holds a quote and a comma: it is one quoted field with the quote doubled.
    expect(text).toContain(`"${hostileMessage.replaceAll('"', '""')}"`);
  });

  it('honours the filters of the view', async () => {
    const tables = parseCsv(await (await dashboard.get(withRange('/api/export.csv', { page: 'usage', algorithm: 'rsa-2048' }))).text());
    expect(tables.get('algorithm share')).toEqual([
      ['algorithm', 'keys', 'share'],
      ['rsa-2048', '1', '1'],
    ]);
  });

  it('refuses an unknown page with KS_DASHBOARD_INVALID_QUERY', async () => {
    const response = await dashboard.get(withRange('/api/export.csv', { page: 'secrets' }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as ApiError).error.code).toBe('KS_DASHBOARD_INVALID_QUERY');
  });
});

describe('GET /export.html', () => {
  async function exported(extra: Record<string, string>): Promise<{ html: string; snapshot: { view: ViewState; generatedAt: string; data: Record<string, unknown> } }> {
    const response = await dashboard.get(withRange('/export.html', extra));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-disposition')).toMatch(/^attachment; filename="keyscope-\w+-[\d-T]+\.html"$/);
    const html = await response.text();
    const match = /<script id="keyscope-snapshot" type="application\/json">([\s\S]*?)<\/script>/.exec(html);
    expect(match).not.toBeNull();
    return { html, snapshot: JSON.parse(match![1]!) as never };
  }

  it('is one self-contained file: the app inlined, nothing fetched from anywhere', async () => {
    const { html } = await exported({ page: 'overview' });
    // No reference to load: no asset path, no other host (the CSP below forbids any that slipped through).
    expect(html).not.toMatch(/(src|href)="(\/assets|https?:|\/\/)/);
    expect(html).toContain('<meta http-equiv="Content-Security-Policy" content="default-src \'none\';');
    expect(html).toMatch(/<style>[\s\S]+<\/style>/);
    // The snapshot comes before the app's script, which reads it as it starts.
    expect(html.indexOf('id="keyscope-snapshot"')).toBeLessThan(html.lastIndexOf('<script>'));
  });

  it('carries the view and the same data the endpoints answer', async () => {
    const { snapshot } = await exported({ page: 'overview', algorithm: 'ed25519', panels: 'kpis,keys' });
    expect(snapshot.view).toEqual({ page: 'overview', range: fixtureRange, algorithm: 'ed25519', panels: ['kpis', 'keys'] });
    expect(Date.parse(snapshot.generatedAt)).not.toBeNaN();
    expect(Object.keys(snapshot.data).sort()).toEqual(['alerts', 'filters', 'overview', 'recommendations']);
    const live = await dashboard.json<OverviewData>(withRange('/api/overview', { algorithm: 'ed25519' }));
    expect(snapshot.data['overview']).toEqual(live);
    // ed25519's three successful generations (its failed call made no key).
    expect((snapshot.data['overview'] as OverviewData).totals.keys).toBe(3);
  });

  it('escapes < in the snapshot, so hostile text stays inside the JSON', async () => {
    const { html, snapshot } = await exported({ page: 'errors' });
    const json = /<script id="keyscope-snapshot" type="application\/json">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(json).not.toContain('<');
    expect(json).toContain('\\u003c/script>\\u003cimg');
    expect((snapshot.data['errors'] as ErrorsData).groups[0]!.message).toBe(hostileMessage);
    // The only </script> sequences in the file close the two script elements.
    expect(html.match(/<\/script/gi)).toHaveLength(2);
  });

  it('refuses a bad panel list with KS_DASHBOARD_INVALID_QUERY', async () => {
    const response = await dashboard.get(withRange('/export.html', { page: 'overview', panels: '<b>' }));
    expect(response.status).toBe(400);
    expect(((await response.json()) as ApiError).error.code).toBe('KS_DASHBOARD_INVALID_QUERY');
  });
});
