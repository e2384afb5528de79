/**
 * Runs in PostgreSQL, per project: stored whole in one transaction (a run row, then its cases in multi-row
 * inserts), read back whole, listed, and read as overviews (a run's fields and its cases' summaries and block
 * medians, no samples) for histories.
 *
 * What is kept: every sample. A history needs only each case's summaries and block medians (kept apart, in
 * `overview`), but a branch with fewer than five runs is judged against its newest run sample by sample, and a
 * pulled run must be the run that was pushed, byte for byte, so that its id keeps meaning one thing. Samples
 * are kept as raw little-endian doubles (8 bytes each), the HDR histograms as the run recorded them. A run read
 * back deep-equals the run stored; its objects' keys may come back in another order (jsonb orders them), which is
 * why a run's digest is taken over sorted keys.
 */
import { createHash } from 'node:crypto';

import type pg from 'pg';

import { caseIdentity, type CaseOverview, type CaseResult, type RunListing, type RunRecord } from '../model/index.js';
import { encodeSpecialNumbers, reviveSpecialNumbers, runRecordSchema } from '../store/index.js';
import { caseOverview } from './case-overview.js';
import { ErrorCodes } from '../core/index.js';
import { inTransaction } from './database.js';
import { ServerError } from './server-error.js';

export interface RunQuery {
  branch?: string;
  testbed?: string;
  status?: 'complete' | 'aborted';
  label?: string;
  idPrefix?: string;
  startedBefore?: string;
  limit?: number;
  /** Overviews only: just the cases with these identities (model caseIdentity). */
  cases?: readonly string[];
}

export type SaveOutcome = { stored: true } | { stored: false; reason: 'same' | 'conflict' };

function bytesOf(series: Float64Array | null): Buffer | null {
  if (series === null) return null;
  // Little-endian, as every machine keyscope runs on is: the buffer is the array's own memory.
  return Buffer.from(series.buffer, series.byteOffset, series.byteLength);
}

function seriesOf(bytes: Buffer | null): Float64Array | null {
  if (bytes === null) return null;
  // Copied into an aligned buffer of its own: a Float64Array needs an offset that is a multiple of 8.
  const copy = new Uint8Array(bytes.byteLength);
  copy.set(bytes);
  return new Float64Array(copy.buffer);
}

/** What a case keeps besides its overview and samples. */
function detailOf(c: CaseResult): object {
  if (c.state === 'errored') return { error: c.error };
  if (c.state === 'skipped') return { reason: c.reason };
  const { blocks, histograms, precision, throughput, counters, timer } = c;
  return { blocks, histograms, precision, throughput, counters, timer };
}

function headOf(run: RunRecord): object {
  const head: Partial<RunRecord> = { ...run };
  delete head.cases;
  return head;
}

/** Whether any string (or object key) in `value` holds U+0000. */
function holdsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\0');
  if (Array.isArray(value)) return value.some(holdsNul);
  if (value !== null && typeof value === 'object' && !ArrayBuffer.isView(value)) {
    return Object.entries(value).some(([key, item]) => key.includes('\0') || holdsNul(item));
  }
  return false;
}

/** JSON with every object's keys sorted: the same value gives the same text whatever order its keys came in. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item !== null && typeof item === 'object' && !Array.isArray(item)
      ? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : item,
  );
}

/**
 * SHA-256 over the run's content, not its spelling: its fields and cases with keys sorted (a client, or jsonb
 * handing a run back, may order them otherwise), and its sample bytes.
 */
function digestOf(run: RunRecord): Buffer {
  const hash = createHash('sha256');
  hash.update(canonicalJson(encodeSpecialNumbers(headOf(run))));
  for (const c of run.cases) {
    hash.update(canonicalJson(encodeSpecialNumbers({ ...caseOverview(c), ...detailOf(c) })));
    if (c.state === 'completed') {
      for (const series of [c.samples.ns, c.samples.cycles, c.samples.candidates]) {
        hash.update(series === null ? 'null' : `${series.length}:`);
        if (series !== null) hash.update(bytesOf(series)!);
      }
    }
  }
  return hash.digest();
}

const caseColumns = ['run_key', 'ordinal', 'identity', 'state', 'overview', 'detail', 'ns', 'cycles', 'candidates'] as const;
/** Rows per INSERT: PostgreSQL binds at most 65,535 parameters to one statement. */
const casesPerInsert = Math.floor(65_535 / caseColumns.length);

async function insertCases(client: pg.PoolClient, runKey: string, run: RunRecord): Promise<void> {
  const rows = run.cases.map((c, ordinal) => {
    const samples = c.state === 'completed' ? c.samples : null;
    return [
      runKey,
      ordinal,
      caseIdentity(c),
      c.state,
      JSON.stringify(encodeSpecialNumbers(caseOverview(c))),
      JSON.stringify(encodeSpecialNumbers(detailOf(c))),
      bytesOf(samples?.ns ?? null),
      bytesOf(samples?.cycles ?? null),
      bytesOf(samples?.candidates ?? null),
    ];
  });
  for (let first = 0; first < rows.length; first += casesPerInsert) {
    const chunk = rows.slice(first, first + casesPerInsert);
    const values = chunk.map((_, r) => `(${caseColumns.map((_c, i) => `$${r * caseColumns.length + i + 1}`).join(', ')})`);
    await client.query(`INSERT INTO cases (${caseColumns.join(', ')}) VALUES ${values.join(', ')}`, chunk.flat());
  }
}

/**
 * Stores `run` (already checked) in `projectId` once: the same id with the same content is "already stored";
 * with other content a conflict (nothing is changed). Concurrent pushes of one run store it once: the unique
 * (project, id) decides, and the loser compares digests.
 */
export async function saveRun(pool: pg.Pool, projectId: number, run: RunRecord): Promise<SaveOutcome> {
  // PostgreSQL's text and jsonb cannot hold U+0000: refused here, by name, rather than failing in the INSERT.
  if (holdsNul(headOf(run)) || run.cases.some((c) => holdsNul([c.key, c.parameters, detailOf(c)]))) {
    throw new ServerError(400, ErrorCodes.serverBadRequest, 'the run holds a NUL character (U+0000) in a name or label, which the server cannot store');
  }
  const digest = digestOf(run);
  return inTransaction(pool, async (client) => {
    const samples = run.cases.reduce((sum, c) => sum + (c.state === 'completed' ? c.samples.ns.length : 0), 0);
    const inserted = await client.query<{ run_key: string }>(
      `INSERT INTO runs (project_id, id, started_at, branch, git_commit, testbed, status, label, head, digest, cases, samples)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
       ON CONFLICT (project_id, id) DO NOTHING RETURNING run_key`,
      [projectId, run.id, run.startedAt, run.git?.branch ?? null, run.git?.commit ?? null, run.testbed, run.status, run.label, JSON.stringify(encodeSpecialNumbers(headOf(run))), digest, run.cases.length, samples],
    );
    const runKey = inserted.rows[0]?.run_key;
    if (runKey === undefined) {
      const { rows } = await client.query<{ digest: Buffer }>('SELECT digest FROM runs WHERE project_id = $1 AND id = $2', [projectId, run.id]);
      return { stored: false, reason: rows[0]?.digest.equals(digest) ? 'same' : 'conflict' };
    }
    await insertCases(client, runKey, run);
    return { stored: true };
  });
}

/** The WHERE clause and values that select a query's runs of a project (as `runs r`). */
function selection(projectId: number, query: RunQuery): { where: string; values: unknown[]; limit: string } {
  const values: unknown[] = [projectId];
  const where = ['r.project_id = $1'];
  const bind = (value: unknown) => `$${values.push(value)}`;
  if (query.branch !== undefined) where.push(`r.branch = ${bind(query.branch)}`);
  if (query.testbed !== undefined) where.push(`r.testbed = ${bind(query.testbed)}`);
  if (query.status !== undefined) where.push(`r.status = ${bind(query.status)}`);
  if (query.label !== undefined) where.push(`r.label = ${bind(query.label)}`);
  if (query.idPrefix !== undefined) where.push(`r.id::text LIKE ${bind(`${query.idPrefix.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`)}`);
  if (query.startedBefore !== undefined) where.push(`r.started_at < ${bind(query.startedBefore)}::timestamptz`);
  const limit = query.limit === undefined ? '' : ` LIMIT ${bind(query.limit)}`;
  return { where: where.join(' AND '), values, limit };
}

/** Newest first, as the local store orders runs: by start, then by the order they were stored. */
const newestFirst = 'ORDER BY r.started_at DESC, r.run_key DESC';

export async function listRuns(pool: pg.Pool, projectId: number, query: RunQuery): Promise<RunListing[]> {
  const { where, values, limit } = selection(projectId, query);
  const { rows } = await pool.query<{ head: Record<string, unknown>; cases: number; samples: string; branch: string | null; git_commit: string | null }>(
    `SELECT r.head, r.cases, r.samples, r.branch, r.git_commit FROM runs r WHERE ${where} ${newestFirst}${limit}`,
    values,
  );
  return rows.map(({ head, cases, samples, branch, git_commit }) => ({
    id: head.id as string,
    startedAt: head.startedAt as string,
    endedAt: head.endedAt as string,
    label: head.label as string | null,
    status: head.status as RunListing['status'],
    commit: git_commit,
    branch,
    testbed: head.testbed as string,
    cases,
    samples: Number(samples),
  }));
}

/** Decodes a jsonb value the way it was encoded (special numbers included). */
function decoded<T>(value: unknown): T {
  return JSON.parse(JSON.stringify(value), reviveSpecialNumbers) as T;
}

/**
 * The overviews of the runs `query` selects, as the JSON text of an array of RunOverview (special numbers encoded
 * as in a run document). Assembled from the stored jsonb as text: a history of a thousand runs is megabytes, and
 * decoding every row into objects only to encode them again would double the cost of the answer.
 */
export async function readOverviewsJson(pool: pg.Pool, projectId: number, query: RunQuery): Promise<string> {
  const { where, values, limit } = selection(projectId, query);
  const caseFilter = query.cases === undefined ? '' : ` AND c.identity = ANY($${values.push(query.cases)}::text[])`;
  const { rows } = await pool.query<{ run_key: string; head: string; overview: string | null }>(
    `SELECT r.run_key, r.head::text AS head, c.overview::text AS overview
       FROM (SELECT r.run_key, r.head, r.started_at FROM runs r WHERE ${where} ${newestFirst}${limit}) r
       LEFT JOIN cases c ON c.run_key = r.run_key${caseFilter}
      ORDER BY r.started_at DESC, r.run_key DESC, c.ordinal`,
    values,
  );
  // Rows come run by run, each run's cases in order: a Map keeps that order.
  const runs = new Map<string, { head: string; cases: string[] }>();
  for (const row of rows) {
    let run = runs.get(row.run_key);
    if (!run) runs.set(row.run_key, (run = { head: row.head, cases: [] }));
    if (row.overview !== null) run.cases.push(row.overview);
  }
  const texts = [...runs.values()].map((run) => `${run.head.slice(0, -1)},"cases":[${run.cases.join(',')}]}`);
  return `[${texts.join(',')}]`;
}

export async function readRun(pool: pg.Pool, projectId: number, id: string): Promise<RunRecord | undefined> {
  const { rows: runs } = await pool.query<{ run_key: string; head: unknown }>('SELECT run_key, head FROM runs WHERE project_id = $1 AND id = $2', [projectId, id]);
  const found = runs[0];
  if (!found) return undefined;
  const { rows } = await pool.query<{ overview: unknown; detail: unknown; ns: Buffer | null; cycles: Buffer | null; candidates: Buffer | null }>(
    'SELECT overview, detail, ns, cycles, candidates FROM cases WHERE run_key = $1 ORDER BY ordinal',
    [found.run_key],
  );
  const cases = rows.map((row): CaseResult => {
    const overview: Partial<CaseOverview> = decoded<CaseOverview>(row.overview);
    const summary = overview.summary;
    delete overview.blockMedians;
    delete overview.summary;
    const detail = decoded<Record<string, unknown>>(row.detail);
    if (overview.state !== 'completed') return { ...overview, ...detail } as unknown as CaseResult;
    const samples = { ns: seriesOf(row.ns)!, cycles: seriesOf(row.cycles), candidates: seriesOf(row.candidates) };
    return { ...overview, summary, samples, ...detail } as unknown as CaseResult;
  });
  const run = { ...decoded<Omit<RunRecord, 'cases'>>(found.head), cases };
  // Checked as the local store checks a run it loads: what leaves the server is a valid run, or an error.
  return runRecordSchema.parse(run) as RunRecord;
}

/** Of `ids`, those the project does not have. */
export async function missingRuns(pool: pg.Pool, projectId: number, ids: readonly string[]): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    'SELECT id::text FROM unnest($2::uuid[]) AS wanted(id) WHERE NOT EXISTS (SELECT 1 FROM runs r WHERE r.project_id = $1 AND r.id = wanted.id)',
    [projectId, ids],
  );
  return rows.map((row) => row.id);
}

export async function deleteRun(pool: pg.Pool, projectId: number, id: string): Promise<boolean> {
  const { rowCount } = await pool.query('DELETE FROM runs WHERE project_id = $1 AND id = $2', [projectId, id]);
  return (rowCount ?? 0) > 0;
}
