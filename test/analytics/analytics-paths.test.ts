import { existsSync, mkdtempSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expect, it } from 'vitest';

import { ensureAnalyticsHome, resolveAnalyticsPaths } from '../../src/analytics/events/paths.js';

it('uses KEYSCOPE_HOME first, made absolute, with every file inside it', () => {
  const paths = resolveAnalyticsPaths({ KEYSCOPE_HOME: 'relative/home', XDG_DATA_HOME: '/xdg' });
  expect(paths.home).toBe(resolve('relative/home'));
  expect(paths).toEqual({
    home: paths.home,
    consentFile: join(paths.home, 'consent.json'),
    ledgerFile: join(paths.home, 'consent-ledger.jsonl'),
    database: join(paths.home, 'analytics.duckdb'),
    noticeShownFile: join(paths.home, 'notice-shown.json'),
    spoolDir: join(paths.home, 'spool'),
    sessionFile: join(paths.home, 'session.json'),
  });
});

it('falls back to an absolute XDG_DATA_HOME, then to ~/.local/share/keyscope', () => {
  expect(resolveAnalyticsPaths({ XDG_DATA_HOME: '/data/xdg' }).home).toBe('/data/xdg/keyscope');
  expect(resolveAnalyticsPaths({ KEYSCOPE_HOME: '', XDG_DATA_HOME: '/data/xdg' }).home).toBe('/data/xdg/keyscope');
  // A relative XDG_DATA_HOME is invalid per the XDG spec and ignored.
  expect(resolveAnalyticsPaths({ XDG_DATA_HOME: 'data' }).home).toBe(join(homedir(), '.local', 'share', 'keyscope'));
  expect(resolveAnalyticsPaths({}).home).toBe(join(homedir(), '.local', 'share', 'keyscope'));
});

it('never creates the directory by resolving; writers create it with mode 0700', () => {
  const home = join(mkdtempSync(join(tmpdir(), 'keyscope-paths-')), 'nested', 'home');
  const paths = resolveAnalyticsPaths({ KEYSCOPE_HOME: home });
  expect(existsSync(home)).toBe(false);
  ensureAnalyticsHome(paths);
  expect(statSync(home).isDirectory()).toBe(true);
  expect(statSync(home).mode & 0o777).toBe(0o700);
});
