/**
 * Saved views: PUT stores a validated ViewState under a name, GET lists them, DELETE removes one; they live in
 * $KEYSCOPE_HOME/dashboard-views.json and survive a server restart; bad names and bodies are refused with
 * KS_DASHBOARD_INVALID_VIEW and change nothing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { ApiError, SavedViewsData, ViewState } from '../../src/dashboard/http/api-types.js';
import { checkViewName } from '../../src/dashboard/http/saved-views.js';
import { tempAnalyticsPaths } from '../support/analytics-fixtures.js';
import { startTestDashboard, type TestDashboard } from '../support/dashboard-fixtures.js';

const running: TestDashboard[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((dashboard) => dashboard.close()));
});

async function start(paths = tempAnalyticsPaths('keyscope-dashboard-views-')): Promise<TestDashboard> {
  const dashboard = await startTestDashboard(paths);
  running.push(dashboard);
  return dashboard;
}

function put(dashboard: TestDashboard, name: string, body: unknown): Promise<Response> {
  return dashboard.get(`/api/views/${encodeURIComponent(name)}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

const slowRsa: ViewState = { page: 'performance', range: '7d', algorithm: 'rsa-2048', outcome: 'ok', panels: ['latency', 'success'] };

describe('saved views', () => {
  it('saves, lists, replaces and deletes views', async () => {
    const dashboard = await start();
    expect(await dashboard.json<SavedViewsData>('/api/views')).toEqual({ views: [] });
    const saved = await put(dashboard, 'slow RSA', slowRsa);
    expect(saved.status).toBe(200);
    await put(dashboard, 'errors.today', { page: 'errors', range: '24h' });
    const listed = await dashboard.json<SavedViewsData>('/api/views');
    expect(listed.views.map((view) => [view.name, view.state])).toEqual([
      ['errors.today', { page: 'errors', range: '24h' }],
      ['slow RSA', slowRsa],
    ]);
    expect(Date.parse(listed.views[0]!.savedAt)).not.toBeNaN();

    await put(dashboard, 'slow RSA', { ...slowRsa, range: '30d' });
    expect((await dashboard.json<SavedViewsData>('/api/views')).views.find((view) => view.name === 'slow RSA')!.state.range).toBe('30d');

    const removed = await dashboard.get('/api/views/errors.today', { method: 'DELETE' });
    expect(removed.status).toBe(200);
    expect(((await removed.json()) as SavedViewsData).views.map((view) => view.name)).toEqual(['slow RSA']);
    expect((await dashboard.get('/api/views/errors.today', { method: 'DELETE' })).status).toBe(404);
  });

  it('keeps them in dashboard-views.json, where a restarted server finds them', async () => {
    const paths = tempAnalyticsPaths('keyscope-dashboard-views-restart-');
    const first = await start(paths);
    await put(first, 'kept', slowRsa);
    await first.close();
    running.splice(running.indexOf(first), 1);
    const file = JSON.parse(readFileSync(join(paths.home, 'dashboard-views.json'), 'utf8')) as SavedViewsData;
    expect(file.views.map((view) => view.name)).toEqual(['kept']);

    const second = await start(paths);
    expect(second.port).not.toBe(0);
    const views = await second.json<SavedViewsData>('/api/views');
    expect(views.views).toEqual([{ name: 'kept', state: slowRsa, savedAt: file.views[0]!.savedAt }]);
  });

  it.each([
    ['a name that is too long', 'x'.repeat(65), slowRsa],
    ['a name with a slash', 'a%2Fb', slowRsa],
    ['a name with markup', '<b>', slowRsa],
    ['a name starting with a dot', '.hidden', slowRsa],
    ['a name starting with a space', ' x', slowRsa],
    ['an unknown page', 'ok', { page: 'secrets', range: '24h' }],
    ['a bad range', 'ok', { page: 'overview', range: 'forever' }],
    ['an unknown field', 'ok', { page: 'overview', range: '24h', script: 'alert(1)' }],
    ['a bad panel id', 'ok', { page: 'overview', range: '24h', panels: ['<img>'] }],
    ['a body that is not an object', 'ok', ['overview']],
  ])('refuses %s with 400 KS_DASHBOARD_INVALID_VIEW', async (_what, name, body) => {
    const dashboard = await start();
    const response = await dashboard.get(`/api/views/${name.startsWith('a%2F') ? name : encodeURIComponent(name)}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as ApiError).error.code).toBe('KS_DASHBOARD_INVALID_VIEW');
    expect(existsSync(join(dashboard.paths.home, 'dashboard-views.json'))).toBe(false);
  });

  it('refuses names that do not start with a letter or digit (. and .. are dropped from a URL path by the browser)', () => {
    for (const name of ['.', '..', '...', '.hidden', '-x', '_x', ' x']) {
      expect(() => checkViewName(name)).toThrow(/starting with a letter or digit/);
    }
    expect(checkViewName('0 errors.today')).toBe('0 errors.today');
    expect(checkViewName('a..b')).toBe('a..b');
  });

  it('reads a damaged file as no views, and sets it aside on the next save', async () => {
    const dashboard = await start();
    const file = join(dashboard.paths.home, 'dashboard-views.json');
    writeFileSync(file, '{"views": [not json');
    expect(await dashboard.json<SavedViewsData>('/api/views')).toEqual({ views: [] });
    expect((await put(dashboard, 'fresh', slowRsa)).status).toBe(200);
    expect((await dashboard.json<SavedViewsData>('/api/views')).views.map((view) => view.name)).toEqual(['fresh']);
    const { readdirSync } = await import('node:fs');
    expect(readdirSync(dashboard.paths.home).filter((name) => name.startsWith('dashboard-views.json.corrupt-'))).toHaveLength(1);
  });
});
