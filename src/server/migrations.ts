/**
 * The server's schema, as numbered migrations applied in order at start-up, each in its own transaction with
 * its version recorded. An advisory lock keeps two servers starting on one database from applying the same
 * migration twice. A database whose schema is newer than this keyscope knows is refused: an older server
 * would misread tables it does not know.
 *
 * Runs are kept per project; a run's cases keep their overview (what a history reads: key, summaries, block
 * medians) apart from their samples, so that reading the history of a thousand runs never touches a sample.
 */
import type pg from 'pg';

import { ErrorCodes, KeyscopeError } from '../core/index.js';
import { inTransaction, redactUrl } from './database.js';

interface Migration {
  version: number;
  description: string;
  sql: string;
}

export const migrations: readonly Migration[] = [
  {
    version: 1,
    description: 'projects, tokens, runs and their cases',
    sql: `
      CREATE TABLE projects (
        project_id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      );
      -- A token is "ks_<token_id>_<secret>": the id finds the row, the secret is kept only as its SHA-256.
      CREATE TABLE tokens (
        token_id text PRIMARY KEY,
        project_id bigint NOT NULL REFERENCES projects,
        secret_sha256 bytea NOT NULL,
        scopes text[] NOT NULL,
        name text,
        created_at timestamptz NOT NULL DEFAULT now(),
        expires_at timestamptz,
        revoked_at timestamptz,
        last_used_at timestamptz
      );
      CREATE TABLE runs (
        run_key bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        project_id bigint NOT NULL REFERENCES projects,
        id uuid NOT NULL,
        started_at timestamptz NOT NULL,
        branch text,
        git_commit text,
        testbed text NOT NULL,
        status text NOT NULL,
        label text,
        -- The run's own fields (all but its cases) as the export document encodes them.
        head jsonb NOT NULL,
        -- SHA-256 of the run's canonical document: the same id pushed with other content is a conflict.
        digest bytea NOT NULL,
        cases integer NOT NULL,
        samples bigint NOT NULL,
        pushed_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (project_id, id)
      );
      -- A branch's history on a testbed, newest first: the one query CI asks on every pull request.
      CREATE INDEX runs_history ON runs (project_id, branch, testbed, started_at DESC, run_key DESC);
      CREATE INDEX runs_label ON runs (project_id, label) WHERE label IS NOT NULL;
      CREATE TABLE cases (
        run_key bigint NOT NULL REFERENCES runs ON DELETE CASCADE,
        ordinal integer NOT NULL,
        identity text NOT NULL,
        state text NOT NULL,
        -- CaseOverview, numbers encoded as in the export document.
        overview jsonb NOT NULL,
        -- Everything else of the case but its samples (histograms, precision, counters, blocks, error, reason).
        detail jsonb NOT NULL,
        -- The sample series as little-endian float64s; NULL where the case has none.
        ns bytea,
        cycles bytea,
        candidates bytea,
        PRIMARY KEY (run_key, ordinal)
      );
      CREATE INDEX cases_identity ON cases (identity, run_key);
      -- Doubles do not compress: storing them as they are spares TOAST the attempt.
      ALTER TABLE cases ALTER COLUMN ns SET STORAGE EXTERNAL, ALTER COLUMN cycles SET STORAGE EXTERNAL, ALTER COLUMN candidates SET STORAGE EXTERNAL;
    `,
  },
];

export const currentServerSchema = migrations[migrations.length - 1]!.version;

/** An arbitrary, fixed key for pg_advisory_xact_lock: "keyscope" in ASCII (0x6b657973636f7065), as a bigint. */
const migrationLock = '7738151096083899237';

/** Applies the migrations the database lacks; returns the schema version it now has. */
export async function migrate(pool: pg.Pool, url: string): Promise<number> {
  return inTransaction(pool, async (client) => {
    await client.query(`SELECT pg_advisory_xact_lock(${migrationLock}::bigint)`);
    await client.query(`CREATE TABLE IF NOT EXISTS keyscope_schema (
      version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM keyscope_schema');
    const have = rows[0]?.version ?? 0;
    if (have > currentServerSchema) {
      throw new KeyscopeError(
        ErrorCodes.serverSchemaTooNew,
        `the database at ${redactUrl(url)} has keyscope server schema ${have}, newer than this keyscope knows (${currentServerSchema}): upgrade keyscope`,
      );
    }
    // One transaction for all: a failure part-way leaves the schema as it was.
    for (const migration of migrations.filter((m) => m.version > have)) {
      await client.query(migration.sql);
      await client.query('INSERT INTO keyscope_schema (version, description) VALUES ($1, $2)', [migration.version, migration.description]);
    }
    return currentServerSchema;
  });
}
