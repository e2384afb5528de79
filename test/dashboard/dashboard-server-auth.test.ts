/**
 * Access to the dashboard: nothing answers without the token (API, static files, /metrics, the live stream),
 * the token in the URL becomes an HttpOnly cookie with a redirect that drops it from the URL, the cookie and a
 * Bearer header are accepted, a foreign Host header is refused (DNS rebinding), and every answer carries the
 * security headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ApiError } from '../../src/dashboard/http/api-types.js';
import { tempAnalyticsPaths } from '../support/analytics-fixtures.js';
import { ensureUiBuilt, rawGet, startTestDashboard, type TestDashboard } from '../support/dashboard-fixtures.js';

const csp = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; frame-ancestors 'none'";

let dashboard: TestDashboard;

beforeAll(async () => {
  ensureUiBuilt();
  dashboard = await startTestDashboard(tempAnalyticsPaths('keyscope-dashboard-auth-'), { token: 'test-token-0123456789' });
});

afterAll(async () => {
  await dashboard?.close();
});

describe('without the token', () => {
  it.each(['/', '/assets/app.js', '/api/overview', '/api/live', '/metrics', '/export.html', '/api/export.csv', '/api/nothing'])(
    'GET %s is 401 with an ApiError body and the security headers',
    async (path) => {
      const response = await fetch(`${dashboard.origin}${path}`);
      expect(response.status).toBe(401);
      expect(((await response.json()) as ApiError).error.code).toBe('KS_DASHBOARD_UNAUTHORIZED');
      expect(response.headers.get('content-security-policy')).toBe(csp);
      expect(response.headers.get('x-content-type-options')).toBe('nosniff');
      expect(response.headers.get('referrer-policy')).toBe('no-referrer');
    },
  );

  it('refuses a wrong token in every place it may be given', async () => {
    const wrong = 'test-token-0123456788';
    expect((await fetch(`${dashboard.origin}/api/overview`, { headers: { authorization: `Bearer ${wrong}` } })).status).toBe(401);
    expect((await fetch(`${dashboard.origin}/api/overview`, { headers: { cookie: `keyscope_dashboard_${dashboard.port}=${wrong}` } })).status).toBe(401);
    expect((await fetch(`${dashboard.origin}/?token=${wrong}`, { redirect: 'manual' })).status).toBe(401);
    // The cookie of another dashboard (another port) is not this one's.
    expect((await fetch(`${dashboard.origin}/api/overview`, { headers: { cookie: `keyscope_dashboard_1=${dashboard.token}` } })).status).toBe(401);
    // A prefix of the token is not the token.
    expect((await fetch(`${dashboard.origin}/api/overview`, { headers: { authorization: 'Bearer test-token' } })).status).toBe(401);
  });
});

describe('with the token', () => {
  it('turns ?token= into an HttpOnly SameSite=Strict cookie and redirects to the URL without it', async () => {
    expect(dashboard.url).toBe(`${dashboard.origin}/?token=test-token-0123456789`);
    const response = await fetch(`${dashboard.origin}/performance?range=7d&token=${dashboard.token}`, { redirect: 'manual' });
    expect(response.status).toBe(302);
    expect(response.headers.get('location')).toBe('/performance?range=7d');
    expect(response.headers.get('set-cookie')).toBe(`keyscope_dashboard_${dashboard.port}=test-token-0123456789; HttpOnly; SameSite=Strict; Path=/`);
    const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
    const page = await fetch(`${dashboard.origin}/api/overview`, { headers: { cookie: `other=1; ${cookie}` } });
    expect(page.status).toBe(200);
  });

  it('serves the app and its assets, with the security headers', async () => {
    const index = await dashboard.get('/');
    expect(index.status).toBe(200);
    expect(index.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(index.headers.get('content-security-policy')).toBe(csp);
    expect(await index.text()).toContain('/assets/app.js');
    const script = await dashboard.get('/assets/app.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const uplot = await dashboard.get('/assets/uplot.css');
    expect(uplot.status).toBe(200);
    // Nothing outside the bundle directory is reachable.
    expect((await dashboard.get('/assets/..%2Fpackage.json')).status).toBe(404);
    expect((await dashboard.get('/assets/.hidden.js')).status).toBe(404);
  });

  it('marks API answers no-store', async () => {
    const response = await dashboard.get('/api/views');
    expect(response.status).toBe(200);
    expect(response.headers.get('cache-control')).toBe('no-store');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });
});

describe('the Host header', () => {
  const bearer = () => ({ authorization: `Bearer ${dashboard.token}` });

  it('accepts the bound address and localhost, with the port', async () => {
    expect((await rawGet(dashboard.port, '/api/views', { ...bearer(), host: `127.0.0.1:${dashboard.port}` })).status).toBe(200);
    expect((await rawGet(dashboard.port, '/api/views', { ...bearer(), host: `localhost:${dashboard.port}` })).status).toBe(200);
  });

  it.each(['evil.example', 'evil.example:PORT', 'localhost:1', '127.0.0.1'])('refuses Host %s with 403, even with the token', async (host) => {
    const response = await rawGet(dashboard.port, '/api/views', { ...bearer(), host: host.replace('PORT', String(dashboard.port)) });
    expect(response.status).toBe(403);
    expect((JSON.parse(response.body) as ApiError).error.code).toBe('KS_DASHBOARD_FORBIDDEN_HOST');
    expect(response.headers['content-security-policy']).toBe(csp);
  });
});

describe('the cookie', () => {
  const cookie = () => `keyscope_dashboard_${dashboard.port}=${dashboard.token}`;
  const put = (headers: Record<string, string>) =>
    fetch(`${dashboard.origin}/api/views/csrf`, { method: 'PUT', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify({ page: 'overview', range: '24h' }) });

  it('is accepted when any cookie of its name matches (a page on another port may toss in one with a narrower Path, sent first)', async () => {
    const tossed = `keyscope_dashboard_${dashboard.port}=tossed-by-another-port`;
    expect((await fetch(`${dashboard.origin}/api/views`, { headers: { cookie: `${tossed}; ${cookie()}` } })).status).toBe(200);
    expect((await fetch(`${dashboard.origin}/api/views`, { headers: { cookie: tossed } })).status).toBe(401);
  });

  it('authorizes a write only from the dashboard own origin (another local port is the same site)', async () => {
    const foreign: Record<string, string>[] = [{}, { origin: 'http://127.0.0.1:1' }, { origin: `http://localhost:${dashboard.port + 1}` }, { origin: 'null' }, { 'sec-fetch-site': 'same-site' }];
    for (const headers of foreign) {
      const response = await put({ cookie: cookie(), ...headers });
      expect(response.status).toBe(403);
      expect(((await response.json()) as ApiError).error.code).toBe('KS_DASHBOARD_FORBIDDEN_ORIGIN');
    }
    const refusedResolve = await fetch(`${dashboard.origin}/api/errors/0123456789abcdef/resolve`, { method: 'POST', headers: { cookie: cookie(), origin: 'http://127.0.0.1:1' } });
    expect(refusedResolve.status).toBe(403);
    expect((await put({ cookie: cookie(), origin: dashboard.origin })).status).toBe(200);
    expect((await put({ cookie: cookie(), 'sec-fetch-site': 'same-origin' })).status).toBe(200);
    // Reads need no Origin; a Bearer token (a script, never added by a browser on its own) needs none either.
    expect((await fetch(`${dashboard.origin}/api/views`, { headers: { cookie: cookie() } })).status).toBe(200);
    expect((await put({ authorization: `Bearer ${dashboard.token}` })).status).toBe(200);
    const removed = await fetch(`${dashboard.origin}/api/views/csrf`, { method: 'DELETE', headers: { cookie: cookie(), origin: 'http://127.0.0.1:1' } });
    expect(removed.status).toBe(403);
  });
});
