/**
 * A headless Chromium for the report's browser test: the system's /usr/bin/chromium driven by playwright-core
 * (no browser download), in a fresh profile directory that is removed afterwards, with the background
 * services that would otherwise talk to the network turned off.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { BrowserContext } from 'playwright-core';

export const CHROMIUM_PATH = process.env.KEYSCOPE_CHROMIUM ?? '/usr/bin/chromium';

/**
 * Whether the browser test runs: yes when Chromium is there. When it is missing the test is skipped, unless
 * KEYSCOPE_REQUIRE_BROWSER is set (CI), where a missing browser must fail rather than pass silently.
 */
export function browserAvailability(): { available: boolean; required: boolean; reason: string } {
  const available = existsSync(CHROMIUM_PATH);
  const required = Boolean(process.env.KEYSCOPE_REQUIRE_BROWSER);
  return {
    available,
    required,
    reason: available
      ? `Chromium at ${CHROMIUM_PATH}`
      : required
        ? `no Chromium at ${CHROMIUM_PATH}, and KEYSCOPE_REQUIRE_BROWSER is set: failing`
        : `skipped: no Chromium at ${CHROMIUM_PATH} (set KEYSCOPE_REQUIRE_BROWSER to make this a failure)`,
  };
}

export interface LaunchedBrowser {
  context: BrowserContext;
  close(): Promise<void>;
}

function browserEnvironment(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !['LD_PRELOAD', 'ASAN_OPTIONS', 'UBSAN_OPTIONS', 'NODE_OPTIONS'].includes(name)) env[name] = value;
  }
  return env;
}

export async function launchChromium(): Promise<LaunchedBrowser> {
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`Chromium not found at ${CHROMIUM_PATH}; KEYSCOPE_REQUIRE_BROWSER is set, so the browser test cannot be skipped`);
  const { chromium } = await import('playwright-core');
  const profile = await mkdtemp(join(tmpdir(), 'keyscope-chromium-'));
  try {
    const context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      viewport: { width: 1280, height: 900 },
      // Under `npm run test:asan` the sanitizer runtimes are preloaded into every child; Chromium is not
      // built for that and hangs at start-up, so it gets the environment without them.
      env: browserEnvironment(),
    });
    return {
      context,
      async close() {
        try {
          await context.close();
        } finally {
          await rm(profile, { recursive: true, force: true });
        }
      },
    };
  } catch (error) {
    await rm(profile, { recursive: true, force: true });
    throw error;
  }
}
