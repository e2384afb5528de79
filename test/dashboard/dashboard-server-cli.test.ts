/**
 * `keyscope dashboard`: prints one line with the URL and its token, serves until SIGTERM/SIGINT and then exits
 * 0 having closed cleanly; a port in use is one line with KS_DASHBOARD_PORT_IN_USE and exit 2; a host that is
 * not loopback gets a warning on stderr.
 */
import type { ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:net';

import { afterEach, describe, expect, it } from 'vitest';

import { openAnalyticsDatabase } from '../../src/analytics/warehouse/open-analytics-database.js';
import { spawnSnippet, src, tempAnalyticsPaths, waitForChild } from '../support/analytics-fixtures.js';

const children: ChildProcess[] = [];
const servers: Server[] = [];

afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

function cli(args: string[], home: string): ChildProcess {
  const child = spawnSnippet(
    `const { main } = await import(${JSON.stringify(src('cli/main.ts'))});
     process.exitCode = await main(${JSON.stringify(args)});`,
    { env: { KEYSCOPE_HOME: home, CI: 'true', KEYSCOPE_DB: `${home}/runs.duckdb` } },
  );
  children.push(child);
  return child;
}

/** The first stdout line of a child. */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const end = out.indexOf('\n');
      if (end >= 0) resolve(out.slice(0, end));
    });
    child.on('exit', (code) => reject(new Error(`exited (${code}) before printing a line`)));
  });
}

describe('keyscope dashboard', () => {
  it('prints the URL with its token, serves, and exits 0 on SIGTERM, releasing the database', async () => {
    const paths = tempAnalyticsPaths('keyscope-dashboard-cli-');
    const child = cli(['dashboard', '--port', '0'], paths.home);
    const done = waitForChild(child);
    const line = await firstLine(child);
    const match = /^keyscope dashboard: (http:\/\/127\.0\.0\.1:(\d+))\/\?token=([A-Za-z0-9_-]{43})$/.exec(line);
    expect(match, line).not.toBeNull();
    const [, origin, , token] = match!;
    expect((await fetch(`${origin}/api/views`)).status).toBe(401);
    const views = await fetch(`${origin}/api/views`, { headers: { authorization: `Bearer ${token}` } });
    expect(views.status).toBe(200);
    expect(await views.json()).toEqual({ views: [] });

    child.kill('SIGTERM');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${line}\n`);
    expect(result.stderr).toBe('');
    // Closed cleanly: the analytics database opens at once in this process.
    const database = await openAnalyticsDatabase({ paths, busyWaitMs: 0 });
    await database.close();
  });

  it('warns when listening beyond loopback, and stops on SIGINT', async () => {
    const child = cli(['dashboard', '--port', '0', '--host', '0.0.0.0'], tempAnalyticsPaths('keyscope-dashboard-cli-').home);
    const done = waitForChild(child);
    expect(await firstLine(child)).toMatch(/^keyscope dashboard: http:\/\/0\.0\.0\.0:\d+\/\?token=/);
    child.kill('SIGINT');
    const result = await done;
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/^keyscope dashboard: warning: listening on 0\.0\.0\.0, reachable from other machines/);
  });

  it('says KS_DASHBOARD_PORT_IN_USE in one line and exits 2 when the port is taken', async () => {
    const server = createServer();
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const result = await waitForChild(cli(['dashboard', '--port', String(port)], tempAnalyticsPaths('keyscope-dashboard-cli-').home));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`keyscope: error KS_DASHBOARD_PORT_IN_USE: port ${port} on 127.0.0.1 is in use (choose another with --port, or 0 for any free port)\n`);
  });

  it('says KS_DASHBOARD_LISTEN_FAILED in one line and exits 2 for a host that does not resolve', async () => {
    const result = await waitForChild(cli(['dashboard', '--host', 'foo.invalid', '--port', '0'], tempAnalyticsPaths('keyscope-dashboard-cli-').home));
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    // The warning about a non-loopback host, then the one error line naming host:port and the system code.
    expect(result.stderr).toMatch(/\nkeyscope: error KS_DASHBOARD_LISTEN_FAILED: cannot listen on foo\.invalid:0 \((ENOTFOUND|EAI_AGAIN); check --host and --port\)\n$/);
  });

  it('refuses a port that is not a port with KS_USAGE and exit 2', async () => {
    const result = await waitForChild(cli(['dashboard', '--port', '70000'], tempAnalyticsPaths('keyscope-dashboard-cli-').home));
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('keyscope: error KS_USAGE: --port must be a whole number from 0 to 65535 (got "70000")\n');
  });
});
