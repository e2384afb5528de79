/**
 * consent-ledger.jsonl: every consent change, one JSON object a line, each carrying the hash of the one before.
 * Editing, deleting or reordering a line breaks the chain, and consent.json must agree with the last decision
 * in it, so hand-editing consent.json to allow more is caught too. A plain hash chain cannot stop someone who
 * rewrites the whole file and recomputes every hash; it makes a casual or accidental edit visible, which is
 * what a local ledger can honestly promise.
 *
 * The install id is never written here: an exported ledger must not link the ids a person rotated between.
 */
import { createHash } from 'node:crypto';
import { closeSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { z } from 'zod';

import { allScopes, type AnalyticsPaths, ensureAnalyticsHome, type Scope } from '../../events/index.js';
import { setAsideName } from '../../../files/index.js';
import type { ConsentFileState } from './consent-file.js';

/** 'prompt': the question older versions asked on the first run (their entries still verify). */
export type LedgerSource = 'prompt' | 'command' | 'library' | 'rotate-id';

/** One line of the ledger. */
export interface LedgerEntry {
  /** 1 for the first line, then +1 per line. */
  seq: number;
  time: string;
  scopes: Scope[];
  noticeVersion: number;
  source: LedgerSource;
  /** Set on the entry that records a new install id (the id itself is not here). */
  installIdRotated?: boolean;
  /** The previous entry's hash, or 64 zeros for the first. */
  prev: string;
  /** sha256 hex of the canonical JSON of this entry without `hash`. */
  hash: string;
}

/** What a caller supplies; seq, prev and hash follow from the ledger. */
export type LedgerChange = Pick<LedgerEntry, 'time' | 'scopes' | 'noticeVersion' | 'source'> & { installIdRotated?: boolean };

export type LedgerState =
  | { state: 'empty' }
  | { state: 'ok'; entries: LedgerEntry[]; last: LedgerEntry }
  /** atLine is 1-based; `entries` are the lines before it that verified. */
  | { state: 'broken'; atLine: number; reason: string; entries: LedgerEntry[] };

export const genesisHash = '0'.repeat(64);

const hashPattern = /^[0-9a-f]{64}$/;
const entrySchema = z.strictObject({
  seq: z.int().positive(),
  time: z.iso.datetime(),
  scopes: z.array(z.enum(allScopes as [Scope, ...Scope[]])),
  noticeVersion: z.int().positive(),
  source: z.enum(['prompt', 'command', 'library', 'rotate-id']),
  installIdRotated: z.boolean().optional(),
  prev: z.string().regex(hashPattern),
  hash: z.string().regex(hashPattern),
});

/** JSON with object keys sorted at every level, no spaces: the same entry always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const fields = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value);
}

export function entryHash(entry: Omit<LedgerEntry, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(entry)).digest('hex');
}

function sameScopes(a: readonly Scope[], b: readonly Scope[]): boolean {
  const set = new Set(a);
  return set.size === new Set(b).size && b.every((scope) => set.has(scope));
}

interface LedgerText {
  lines: string[];
  /** Every entry ends with a newline (one write each): a last line without one was cut off or added by hand. */
  terminated: boolean;
}

function readLedgerText(paths: AnalyticsPaths): LedgerText | { error: string } {
  let text: string;
  try {
    text = readFileSync(paths.ledgerFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return { lines: [], terminated: true };
    return { error: `cannot be read (${code ?? String(error)})` };
  }
  if (text === '') return { lines: [], terminated: true };
  const terminated = text.endsWith('\n');
  return { lines: (terminated ? text.slice(0, -1) : text).split('\n'), terminated };
}

function verifyChain({ lines, terminated }: LedgerText): LedgerState {
  const entries: LedgerEntry[] = [];
  let prev = genesisHash;
  for (const [index, line] of lines.entries()) {
    const atLine = index + 1;
    const broken = (reason: string): LedgerState => ({ state: 'broken', atLine, reason, entries });
    let json: unknown;
    try {
      json = JSON.parse(line);
    } catch {
      return broken('not valid JSON');
    }
    const parsed = entrySchema.safeParse(json);
    if (!parsed.success) return broken('not a ledger entry');
    const entry = parsed.data as LedgerEntry;
    if (entry.seq !== atLine) return broken(`sequence number ${entry.seq} where ${atLine} was expected (a line was removed or moved)`);
    if (entry.prev !== prev) return broken('does not follow the previous entry (a line was removed, moved or edited)');
    const { hash, ...body } = entry;
    if (entryHash(body) !== hash) return broken('its content does not match its hash (the line was edited)');
    entries.push(entry);
    prev = hash;
  }
  if (!terminated) return { state: 'broken', atLine: lines.length, reason: 'the last line is incomplete', entries: entries.slice(0, -1) };
  const last = entries.at(-1);
  return last ? { state: 'ok', entries, last } : { state: 'empty' };
}

/** consent.json must say what the last decision in the ledger says; otherwise one of them was edited. */
function checkAgreement(chain: LedgerState, consentFile: ConsentFileState): LedgerState {
  if (chain.state === 'broken' || consentFile.state !== 'ok') return chain;
  const entries = chain.state === 'ok' ? chain.entries : [];
  // Library opt-ins live in the host process only; they never change consent.json.
  const lastIndex = entries.findLastIndex((entry) => entry.source !== 'library');
  const lastDecision = entries[lastIndex];
  const { decision } = consentFile;
  if (!lastDecision) {
    return { state: 'broken', atLine: entries.length + 1, reason: 'consent.json holds a decision the ledger does not record', entries };
  }
  if (!sameScopes(lastDecision.scopes, decision.scopes) || lastDecision.noticeVersion !== decision.noticeVersion) {
    return { state: 'broken', atLine: lastIndex + 1, reason: 'consent.json does not match the last decision recorded in the ledger', entries };
  }
  return chain;
}

/**
 * Verifies the chain and, when consent.json is given and valid, that it agrees with the last non-library
 * entry. A missing consent.json is not a disagreement: it allows nothing, and the person is simply asked again.
 */
export function verifyLedger(paths: AnalyticsPaths, consentFile?: ConsentFileState): LedgerState {
  const text = readLedgerText(paths);
  if ('error' in text) return { state: 'broken', atLine: 1, reason: `the ledger ${text.error}`, entries: [] };
  const chain = verifyChain(text);
  return consentFile ? checkAgreement(chain, consentFile) : chain;
}

/**
 * Appends one entry after `after` (the verified ledger) with a single write, so a crash leaves the ledger
 * either with or without the whole line. Creates the home directory. Throws when it cannot write.
 */
export function appendLedgerEntry(paths: AnalyticsPaths, after: LedgerState, change: LedgerChange): LedgerEntry {
  if (after.state === 'broken') throw new Error('cannot append to a broken consent ledger: set it aside first');
  const body: Omit<LedgerEntry, 'hash'> = {
    seq: after.state === 'ok' ? after.last.seq + 1 : 1,
    time: change.time,
    scopes: [...change.scopes],
    noticeVersion: change.noticeVersion,
    source: change.source,
    ...(change.installIdRotated ? { installIdRotated: true } : {}),
    prev: after.state === 'ok' ? after.last.hash : genesisHash,
  };
  const entry: LedgerEntry = { ...body, hash: entryHash(body) };
  ensureAnalyticsHome(paths);
  const fd = openSync(paths.ledgerFile, 'a', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(entry)}\n`);
  } finally {
    closeSync(fd);
  }
  return entry;
}

/** Moves a broken ledger to consent-ledger.jsonl.broken-<time> (kept); returns the new path. */
export function setAsideBrokenLedger(paths: AnalyticsPaths, now: number): string {
  const target = setAsideName(paths.ledgerFile, 'broken', now);
  renameSync(paths.ledgerFile, target);
  return target;
}
