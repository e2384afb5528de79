/**
 * Access tokens: made, listed and revoked by an operator with the database's credentials (`keyscope server
 * token ...`), checked by the server on every request.
 *
 * A token is `ks_<id>_<secret>`: the id (public, in listings) finds its row; the secret, 32 random bytes, is
 * stored only as its SHA-256. A hash this fast is enough for a secret of 256 random bits (nothing to guess);
 * a slow hash is for passwords people choose. The secret is compared in constant time.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

import type pg from 'pg';

import { ErrorCodes, KeyscopeError } from '../core/index.js';
import { inTransaction } from './database.js';

export const tokenScopes = ['runs:write', 'runs:read', 'analytics:write', 'analytics:read', 'admin'] as const;
export type TokenScope = (typeof tokenScopes)[number];

/** Project names are identifiers people type in commands and URLs. */
export const projectNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

const tokenPattern = /^ks_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface TokenListing {
  id: string;
  project: string;
  scopes: TokenScope[];
  name: string | null;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

/** Who a request is: the token's project and scopes. */
export interface Caller {
  tokenId: string;
  projectId: number;
  project: string;
  scopes: ReadonlySet<TokenScope>;
}

function sha256(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

export function parseScopes(text: string): TokenScope[] {
  const scopes = [...new Set(text.split(',').map((s) => s.trim()).filter((s) => s.length > 0))];
  if (scopes.length === 0) throw new KeyscopeError(ErrorCodes.usage, `--scope names no scope; give one or more of ${tokenScopes.join(', ')}, comma-separated`);
  for (const scope of scopes) {
    if (!(tokenScopes as readonly string[]).includes(scope)) throw new KeyscopeError(ErrorCodes.usage, `unknown scope "${scope}"; scopes are ${tokenScopes.join(', ')}`);
  }
  return scopes as TokenScope[];
}

export interface CreateTokenOptions {
  project: string;
  scopes: readonly TokenScope[];
  name?: string;
  expiresAt?: Date;
}

/** Makes a token (and its project, the first time it is named); returns the token, shown this once only. */
export async function createToken(pool: pg.Pool, options: CreateTokenOptions): Promise<{ token: string; id: string }> {
  if (!projectNamePattern.test(options.project)) {
    throw new KeyscopeError(ErrorCodes.usage, `project name must be a letter or digit, then up to 63 letters, digits, ".", "_" or "-"; got ${JSON.stringify(options.project)}`);
  }
  const id = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  await inTransaction(pool, async (client) => {
    await client.query('INSERT INTO projects (name) VALUES ($1) ON CONFLICT (name) DO NOTHING', [options.project]);
    await client.query(
      `INSERT INTO tokens (token_id, project_id, secret_sha256, scopes, name, expires_at)
       SELECT $1, project_id, $2, $3, $4, $5 FROM projects WHERE name = $6`,
      [id, sha256(secret), options.scopes, options.name ?? null, options.expiresAt ?? null, options.project],
    );
  });
  return { token: `ks_${id}_${secret}`, id };
}

export async function listTokens(pool: pg.Pool, project?: string): Promise<TokenListing[]> {
  const { rows } = await pool.query<{ token_id: string; project: string; scopes: string[]; name: string | null; created_at: Date; expires_at: Date | null; revoked_at: Date | null; last_used_at: Date | null }>(
    `SELECT t.token_id, p.name AS project, t.scopes, t.name, t.created_at, t.expires_at, t.revoked_at, t.last_used_at
       FROM tokens t JOIN projects p USING (project_id)
      WHERE $1::text IS NULL OR p.name = $1
      ORDER BY t.created_at, t.token_id`,
    [project ?? null],
  );
  const iso = (date: Date | null) => (date === null ? null : date.toISOString());
  return rows.map((row) => ({
    id: row.token_id,
    project: row.project,
    scopes: row.scopes as TokenScope[],
    name: row.name,
    createdAt: row.created_at.toISOString(),
    expiresAt: iso(row.expires_at),
    revokedAt: iso(row.revoked_at),
    lastUsedAt: iso(row.last_used_at),
  }));
}

/** Revokes the token with this id (its `ks_…` form is accepted too); false when there is none, or it already was. */
export async function revokeToken(pool: pg.Pool, idOrToken: string): Promise<boolean> {
  const id = tokenPattern.exec(idOrToken)?.[1] ?? idOrToken;
  const { rowCount } = await pool.query('UPDATE tokens SET revoked_at = now() WHERE token_id = $1 AND revoked_at IS NULL', [id]);
  return (rowCount ?? 0) > 0;
}

/** Why a presented token does not authenticate, or who it is. */
export type TokenCheck = { ok: true; caller: Caller } | { ok: false; reason: string };

/** Checks a presented token against the database: known, secret right, not revoked, not expired. */
export async function checkToken(pool: pg.Pool, presented: string): Promise<TokenCheck> {
  const match = tokenPattern.exec(presented);
  if (!match) return { ok: false, reason: 'the token is not a keyscope token (ks_<id>_<secret>)' };
  const [, id, secret] = match as unknown as [string, string, string];
  const { rows } = await pool.query<{ project_id: string; project: string; secret_sha256: Buffer; scopes: string[]; expired: boolean; revoked: boolean }>(
    `SELECT t.project_id, p.name AS project, t.secret_sha256, t.scopes,
            coalesce(t.expires_at <= now(), false) AS expired, t.revoked_at IS NOT NULL AS revoked
       FROM tokens t JOIN projects p USING (project_id) WHERE t.token_id = $1`,
    [id],
  );
  const row = rows[0];
  // An unknown id and a wrong secret answer alike, so the answer does not tell which ids exist.
  if (!row || !timingSafeEqual(row.secret_sha256, sha256(secret))) return { ok: false, reason: 'the token is not known to this server' };
  if (row.revoked) return { ok: false, reason: `token ${id} was revoked` };
  if (row.expired) return { ok: false, reason: `token ${id} has expired` };
  // When it was last used, for `token list`: at most once a minute per token, so reads do not become writes.
  await pool.query("UPDATE tokens SET last_used_at = now() WHERE token_id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')", [id]);
  return { ok: true, caller: { tokenId: id, projectId: Number(row.project_id), project: row.project, scopes: new Set(row.scopes as TokenScope[]) } };
}
