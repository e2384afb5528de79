/**
 * The analytics database (analytics.duckdb).
 *
 * Events are stored as a star: `event_rows` holds what differs from event to event (time, duration, cycles)
 * and a `shape`, the id of a row of `event_shapes`, which holds everything else (scope, type, envelope ids,
 * operation, algorithm, outcome, codes, the remaining properties as JSON). Millions of native records share a
 * few shapes (they differ only in their numbers), so ingest appends four numbers per event (measured: ~10x
 * faster than the wide row) and a query scans narrow columns, joining the small shapes table it has already
 * filtered. The `events` view joins them back into the one wide, typed row that every reader uses.
 * No indexes: appends and range deletes stay fast, and every query is a scan anyway.
 */

export const analyticsSchemaVersion = 1;

/** The columns of the `events` view, in order: the shape's strings, then the row's numbers around them. */
export const shapeColumns = ['scope', 'type', 'install_id', 'session_id', 'keyscope_version', 'operation', 'algorithm', 'outcome', 'error_code', 'fingerprint', 'properties'] as const;

export const createAnalyticsSchema = `
CREATE TABLE IF NOT EXISTS analytics_meta (
  key VARCHAR PRIMARY KEY,
  value VARCHAR NOT NULL
);

-- Everything an event shares with others of its kind. Shape ids are allocated by ingest (max + 1 upward).
CREATE TABLE IF NOT EXISTS event_shapes (
  shape INTEGER NOT NULL,
  scope VARCHAR NOT NULL,           -- usage | performance | errors | security
  type VARCHAR NOT NULL,            -- events/types.ts EventType
  install_id VARCHAR NOT NULL,
  session_id VARCHAR NOT NULL,
  keyscope_version VARCHAR NOT NULL,
  operation VARCHAR,                -- command (usage), api (api.call, keygen.timing), operation (error, security)
  algorithm VARCHAR,
  outcome VARCHAR,                  -- ok | error
  error_code VARCHAR,               -- error, security.repeated-failures, a failed command's code
  fingerprint VARCHAR,              -- error, security.repeated-failures
  properties JSON                   -- every other allowlisted property of the type
);

-- One row per event, in ingest order (roughly time order, so DuckDB's zone maps prune time ranges).
CREATE TABLE IF NOT EXISTS event_rows (
  time TIMESTAMP NOT NULL,          -- UTC
  shape INTEGER NOT NULL,
  duration_ns BIGINT,               -- keygen.timing; command durationMs * 1e6
  cycles BIGINT                     -- keygen.timing
);

CREATE VIEW IF NOT EXISTS events AS
SELECT r.time, s.scope, s.type, s.install_id, s.session_id, s.keyscope_version, s.operation, s.algorithm, s.outcome,
       r.duration_ns, r.cycles, s.error_code, s.fingerprint, s.properties
  FROM event_rows r JOIN event_shapes s ON s.shape = r.shape;

CREATE TABLE IF NOT EXISTS error_groups (
  fingerprint VARCHAR PRIMARY KEY,
  error_type VARCHAR NOT NULL,
  code VARCHAR,
  openssl_reason VARCHAR,
  frames VARCHAR[] NOT NULL,        -- the top in-package frames the fingerprint hashes
  message VARCHAR NOT NULL,         -- the latest occurrence's message template (values as placeholders)
  count BIGINT NOT NULL,
  first_seen TIMESTAMP NOT NULL,
  last_seen TIMESTAMP NOT NULL,
  versions VARCHAR[] NOT NULL,      -- keyscope versions it was seen in
  status VARCHAR NOT NULL,          -- open | resolved | regressed
  resolved_at TIMESTAMP,
  resolved_version VARCHAR          -- keyscope version when resolved
);

-- How far each spool file has been ingested, updated in the same transaction as its events: exactly once.
CREATE TABLE IF NOT EXISTS spool_progress (
  spool VARCHAR PRIMARY KEY,        -- file name in the spool directory
  consumed BIGINT NOT NULL,         -- records (binary) or bytes (JSONL) already ingested
  updated_at TIMESTAMP NOT NULL
);
`;
