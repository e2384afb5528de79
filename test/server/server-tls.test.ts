/**
 * The team server over HTTPS, with a self-signed certificate for 127.0.0.1 and localhost made by the openssl CLI:
 *
 * - `keyscope push --server https://127.0.0.1:PORT` works when the certificate is trusted (NODE_EXTRA_CA_CERTS),
 *   and without that fails with one line KS_SERVER_UNREACHABLE naming the certificate problem, storing nothing;
 * - `keyscope server --tls-cert C --tls-key K` announces an https URL and serves it (a pull through it works);
 * - --tls-cert without --tls-key (and the reverse, and an unreadable file) is KS_USAGE, exit 2.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

import pg from 'pg';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';

import { createToken, type RunningServer, startServer } from '../../src/server/index.js';
import { binPath, runCli } from '../support/cli.js';
import { createTestDatabase, describeWithPostgres, type TestDatabase } from '../support/postgres.js';

const fixture = fileURLToPath(new URL('../fixtures/quick-run-a.parquet', import.meta.url));
const quickRunId = '2b271d17-24d5-49bc-8012-0b9fa54d2795';

/** A self-signed P-256 certificate for 127.0.0.1 and localhost, valid for a day: {cert, key} file paths. */
function selfSignedCertificate(dir: string): { cert: string; key: string } {
  const cert = join(dir, 'cert.pem');
  const key = join(dir, 'key.pem');
  execFileSync(
    '/usr/bin/openssl',
    ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', key, '-out', cert, '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost', '-days', '1'],
    { stdio: 'ignore' },
  );
  return { cert, key };
}

const children: ChildProcess[] = [];

describeWithPostgres('keyscope server over HTTPS', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keyscope-server-tls-'));
  const store = join(dir, 'r.duckdb');
  let files: { cert: string; key: string };
  let db: TestDatabase;
  let server: RunningServer;
  let token: string;
  const storedCopies = async () => {
    const pool = new pg.Pool({ connectionString: db.url });
    return (await pool.query('SELECT 1 FROM runs WHERE id = $1', [quickRunId]).finally(() => pool.end())).rowCount;
  };

  beforeAll(async () => {
    files = selfSignedCertificate(dir);
    db = await createTestDatabase({ role: true });
    server = await startServer({ databaseUrl: db.url, port: 0, tls: { cert: readFileSync(files.cert), key: readFileSync(files.key) } });
    const pool = new pg.Pool({ connectionString: db.url });
    token = (await createToken(pool, { project: 'tls', scopes: ['runs:write', 'runs:read'] }).finally(() => pool.end())).token;
    const imported = await runCli(['runs', 'import', fixture, '--db', store]);
    expect(imported.status, imported.stderr).toBe(0);
  });
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  afterAll(async () => {
    await server?.close();
    await db?.drop();
  });

  const push = (env: NodeJS.ProcessEnv) => runCli(['push', '--server', server.url, '--db', store], { env: { KEYSCOPE_TOKEN: token, ...env } });

  it('serves https on the URL startServer gives', () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('refuses, without trusting the certificate, in one line KS_SERVER_UNREACHABLE naming the certificate problem', async () => {
    const result = await push({ NODE_EXTRA_CA_CERTS: undefined });
    expect(result.stderr).toMatch(new RegExp(`^keyscope: error KS_SERVER_UNREACHABLE: the keyscope server at ${server.url} has a TLS certificate this machine does not trust \\([A-Z_]+\\): trust its CA with NODE_EXTRA_CA_CERTS=ca.pem\\n$`));
    expect(result.stderr).toMatch(/SELF_SIGNED|self[- ]signed|certificate/i);
    expect(result.status).toBe(1);
    expect(result.stdout).toBe('');
    expect(await storedCopies()).toBe(0);
  });

  it('pushes with the certificate trusted through NODE_EXTRA_CA_CERTS', async () => {
    const result = await push({ NODE_EXTRA_CA_CERTS: files.cert });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^pushed ${quickRunId} .+\\n1 run pushed to server ${server.url}, 0 already there\\n$`));
    expect(await storedCopies()).toBe(1);
  });

  it('runs `keyscope server --tls-cert C --tls-key K` on https, which a trusting client can pull from', async () => {
    const child = spawn(process.execPath, [binPath, 'server', '--database', db.url, '--port', '0', '--tls-cert', files.cert, '--tls-key', files.key], { stdio: ['ignore', 'pipe', 'pipe'] });
    children.push(child);
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('close', (code) => resolve(code)));
    const line = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('\n')) resolve(stdout);
      });
      void exited.then((code) => reject(new Error(`keyscope server exited (${code}): ${stderr}`)));
    });
    const match = /^keyscope server: (https:\/\/127\.0\.0\.1:\d+) \(schema 1\)\n$/.exec(line);
    expect(match, line).not.toBeNull();

    const env = { KEYSCOPE_TOKEN: token, NODE_EXTRA_CA_CERTS: files.cert };
    const pushed = await runCli(['push', '--server', match![1]!, '--db', store, '--json'], { env });
    expect(pushed.stderr).toBe('');
    const sent = JSON.parse(pushed.stdout) as { pushed: unknown[]; already: number };
    expect(sent.pushed.length + sent.already).toBe(1); // the run is there, whether this push or the one above stored it
    const pulled = await runCli(['pull', '--server', match![1]!, '--db', join(dir, 'pulled.duckdb'), '--json'], { env });
    expect(pulled.stderr).toBe('');
    expect(JSON.parse(pulled.stdout)).toMatchObject({ server: match![1], pulled: [{ id: quickRunId, stored: true }], already: 0 });

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it.each([
    ['--tls-cert without --tls-key', (f: { cert: string; key: string }) => ['--tls-cert', f.cert], '--tls-cert and --tls-key go together'],
    ['--tls-key without --tls-cert', (f: { cert: string; key: string }) => ['--tls-key', f.key], '--tls-cert and --tls-key go together'],
    ['an unreadable --tls-cert', (f: { cert: string; key: string }) => ['--tls-cert', join(dir, 'missing.pem'), '--tls-key', f.key], 'cannot be read (ENOENT)'],
  ])('refuses %s: KS_USAGE, exit 2', async (_what, args, says) => {
    const result = await runCli(['server', '--database', db.url, '--port', '0', ...args(files)]);
    expect(result.stderr).toMatch(/^keyscope: error KS_USAGE: [^\n]+\n$/);
    expect(result.stderr).toContain(says);
    expect(result.status).toBe(2);
    expect(result.stdout).toBe('');
  });
});
