// Makes the dashboard browser tests' real-data fixtures (test/fixtures/dashboard/, described in its README.md):
// two real `keyscope bench --quick` runs, exported, and the analytics events of two real sessions (CLI commands,
// then the library API), each including a request that fails on OpenSSL 3.0 (ml-kem-768).
//
//   npm run build:ts && node scripts/make-dashboard-fixtures.mjs
//
// Everything runs in a temporary KEYSCOPE_HOME and run store; nothing of the caller's is read or written.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'test', 'fixtures', 'dashboard');
const cli = join(root, 'bin', 'keyscope.js');
const { validateRecordedEvent } = await import(pathToFileURL(join(root, 'dist', 'analytics', 'events', 'schemas.js')).href);

/** The CLI session is moved this far back, so the range holds empty hours between the two sessions. */
const sessionGapMs = 5 * 3_600_000;

const work = mkdtempSync(join(tmpdir(), 'keyscope-fixtures-'));
const home = join(work, 'home');
const store = join(work, 'runs.duckdb');
const env = { ...process.env, KEYSCOPE_HOME: home, KEYSCOPE_DB: store, DO_NOT_TRACK: '', KEYSCOPE_ANALYTICS: '', CI: '' };

/** Runs the CLI; `expectFailure` for the request that must fail. */
function keyscope(args, { expectFailure = false, extraEnv = {} } = {}) {
  try {
    execFileSync(process.execPath, [cli, ...args], { cwd: root, env: { ...env, ...extraEnv }, stdio: ['ignore', 'ignore', 'inherit'] });
    if (expectFailure) throw new Error(`keyscope ${args.join(' ')} was expected to fail`);
  } catch (error) {
    if (!expectFailure || error.status === undefined) throw error;
  }
}

try {
  mkdirSync(out, { recursive: true });

  // 1. Two quick bench runs. Analytics is off for them: a bench is measurement, not usage (issue 14), and
  //    recording it here would add one event per iteration.
  for (const label of ['first', 'second']) {
    keyscope(['bench', '--quick', '--label', label], { extraEnv: { KEYSCOPE_ANALYTICS: 'off' } });
    const file = join(work, `run-${label}.json`);
    keyscope(['runs', 'export', label, '--out', file], { extraEnv: { KEYSCOPE_ANALYTICS: 'off' } });
    writeFileSync(join(out, `run-${label}.json.gz`), gzipSync(readFileSync(file), { level: 9 }));
  }

  // 2. Analytics with consent, session one: CLI commands, a weak key, and a request OpenSSL 3.0 refuses.
  keyscope(['analytics', 'enable']);
  keyscope(['keygen', 'ed25519']);
  keyscope(['keygen', 'rsa-2048', '--json']);
  keyscope(['keygen', 'rsa-1024', '--allow-weak']);
  keyscope(['keygen', 'ml-kem-768'], { expectFailure: true });
  keyscope(['keygen', 'ec-p256', '--format', 'jwk']);
  keyscope(['algorithms']);
  const cliSession = JSON.parse(readFileSync(join(home, 'session.json'), 'utf8')).id;

  // Session two: an application using the library API (its own process, so its own session).
  const library = `
    const keyscope = await import(${JSON.stringify(pathToFileURL(join(root, 'dist', 'index.js')).href)});
    keyscope.enableAnalytics({ scopes: ['usage', 'performance', 'errors', 'security'] });
    for (let i = 0; i < 3; i++) keyscope.generateKeyPairSync('ed25519');
    await keyscope.generateKeyPair('ec-p256');
    try { keyscope.generateKeyPairSync('ml-kem-768'); throw new Error('ml-kem-768 was expected to fail'); } catch (error) { if (!error.code) throw error; }
  `;
  execFileSync(process.execPath, ['--input-type=module', '-e', library], { cwd: work, env, stdio: 'inherit' });

  // 3. The events as recorded (the spool's JSONL format, which the test feeds to the dashboard's ingest), from the
  //    export's rows; the CLI session moved back by sessionGapMs.
  const exported = join(work, 'events.json');
  keyscope(['analytics', 'export', '--format', 'json', '--out', exported]);
  const rows = JSON.parse(readFileSync(exported, 'utf8'));
  const lines = rows.map((row) => {
    const event = eventOf(row);
    const time = Date.parse(row.time) - (row.session_id === cliSession ? sessionGapMs : 0);
    const line = { time, installId: row.install_id, sessionId: row.session_id, keyscopeVersion: row.keyscope_version, ...event };
    if (validateRecordedEvent(line) === null) throw new Error(`not a valid recorded event: ${JSON.stringify(line)}`);
    return JSON.stringify(line);
  });
  lines.sort((a, b) => JSON.parse(a).time - JSON.parse(b).time);
  writeFileSync(join(out, 'events.jsonl'), `${lines.join('\n')}\n`);
  console.log(`wrote ${lines.length} events and 2 runs to ${out}`);
} finally {
  rmSync(work, { recursive: true, force: true });
}

/** An exported row back into its event (the inverse of src/analytics/warehouse/event-rows.ts). */
function eventOf(row) {
  const properties = row.properties ?? {};
  const optional = (name, value) => (value === null || value === undefined ? {} : { [name]: value });
  const base = { type: row.type, scope: row.scope };
  switch (row.type) {
    case 'command':
      return { ...base, command: row.operation, ...optional('algorithm', row.algorithm), outcome: row.outcome, durationMs: row.duration_ns / 1e6, ...properties };
    case 'api.call':
      return { ...base, api: row.operation, algorithm: row.algorithm, outcome: row.outcome, ...properties };
    case 'keygen.timing':
      return { ...base, api: row.operation, algorithm: row.algorithm, outcome: row.outcome, durationNs: row.duration_ns, cycles: row.cycles, ...properties };
    case 'error':
      return { ...base, operation: row.operation, ...optional('algorithm', row.algorithm), code: row.error_code, fingerprint: row.fingerprint, ...properties };
    case 'security.weak-parameters':
      return { ...base, operation: row.operation, algorithm: row.algorithm, ...properties };
    case 'security.burst':
      return { ...base, algorithm: row.algorithm, ...properties };
    case 'security.repeated-failures':
      return { ...base, code: row.error_code, fingerprint: row.fingerprint, ...properties };
    default:
      return { ...base, ...properties };
  }
}
