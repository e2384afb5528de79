/** The consent ledger: every change on its own hash-chained line, so that an edit shows. */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';

import { readConsentFile } from '../../src/analytics/capture/consent/consent-file.js';
import { canonicalJson, genesisHash, type LedgerEntry, verifyLedger } from '../../src/analytics/capture/consent/ledger.js';
import { recordDecision } from '../../src/analytics/capture/consent/record-decision.js';
import { resolveConsent } from '../../src/analytics/capture/consent/resolve-consent.js';
import { rotateInstallId } from '../../src/analytics/capture/install-id.js';
import { type AnalyticsPaths, analyticsPathsIn } from '../../src/analytics/events/paths.js';

const t0 = Date.parse('2025-04-01T08:00:00Z');

/** A home with three decisions: usage; usage + errors; errors. */
function threeDecisions(): AnalyticsPaths {
  const paths = analyticsPathsIn(join(mkdtempSync(join(tmpdir(), 'keyscope-ledger-')), 'home'));
  recordDecision(paths, { scopes: ['usage'], source: 'command', now: t0 });
  recordDecision(paths, { scopes: ['usage', 'errors'], source: 'command', now: t0 + 1000 });
  recordDecision(paths, { scopes: ['errors'], source: 'command', now: t0 + 2000 });
  return paths;
}

const lines = (paths: AnalyticsPaths) => readFileSync(paths.ledgerFile, 'utf8').trimEnd().split('\n');
const writeLines = (paths: AnalyticsPaths, content: string[]) => writeFileSync(paths.ledgerFile, `${content.join('\n')}\n`);

it('chains each entry to the one before with sha256 of its canonical JSON', () => {
  const paths = threeDecisions();
  const state = verifyLedger(paths, readConsentFile(paths));
  if (state.state !== 'ok') throw new Error(`expected a verified ledger, got ${JSON.stringify(state)}`);
  expect(state.entries.map((e) => [e.seq, e.source, e.scopes])).toEqual([
    [1, 'command', ['usage']],
    [2, 'command', ['usage', 'errors']],
    [3, 'command', ['errors']],
  ]);
  let prev = genesisHash;
  for (const entry of state.entries) {
    const { hash, ...body } = entry;
    expect(entry.prev).toBe(prev);
    expect(hash).toBe(createHash('sha256').update(canonicalJson(body)).digest('hex'));
    expect(entry.noticeVersion).toBe(1);
    prev = hash;
  }
  expect(state.entries.map((e) => e.time)).toEqual(['2025-04-01T08:00:00.000Z', '2025-04-01T08:00:01.000Z', '2025-04-01T08:00:02.000Z']);
  expect(state.last.seq).toBe(3);
});

it('never writes the install id into the ledger', () => {
  const paths = threeDecisions();
  const file = readConsentFile(paths);
  if (file.state !== 'ok' || file.decision.installId === null) throw new Error('expected an install id');
  expect(readFileSync(paths.ledgerFile, 'utf8')).not.toContain(file.decision.installId);
});

it('detects an edited line', () => {
  const paths = threeDecisions();
  const content = lines(paths);
  content[1] = content[1]!.replace('"usage","errors"', '"usage","errors","security"');
  writeLines(paths, content);
  expect(verifyLedger(paths)).toMatchObject({ state: 'broken', atLine: 2, reason: expect.stringContaining('hash') });
});

it('detects a deleted line', () => {
  const paths = threeDecisions();
  const content = lines(paths);
  writeLines(paths, [content[0]!, content[2]!]);
  expect(verifyLedger(paths)).toMatchObject({ state: 'broken', atLine: 2 });
});

it('detects reordered lines', () => {
  const paths = threeDecisions();
  const content = lines(paths);
  writeLines(paths, [content[0]!, content[2]!, content[1]!]);
  expect(verifyLedger(paths)).toMatchObject({ state: 'broken', atLine: 2 });
});

it('detects a removed last line, because consent.json no longer agrees with the ledger', () => {
  const paths = threeDecisions();
  writeLines(paths, lines(paths).slice(0, 2));
  expect(verifyLedger(paths)).toMatchObject({ state: 'ok' }); // the chain alone cannot tell
  expect(verifyLedger(paths, readConsentFile(paths))).toMatchObject({ state: 'broken', atLine: 2 });
});

it('detects a consent file edited to allow more, and turns analytics off with one warning', () => {
  const paths = threeDecisions();
  const decision = JSON.parse(readFileSync(paths.consentFile, 'utf8')) as { scopes: string[] };
  decision.scopes = ['usage', 'performance', 'errors', 'security'];
  writeFileSync(paths.consentFile, JSON.stringify(decision));
  expect(verifyLedger(paths, readConsentFile(paths))).toMatchObject({ state: 'broken', atLine: 3, reason: expect.stringContaining('consent.json') });
  const resolved = resolveConsent({ env: {}, paths, surface: 'cli', interactive: true });
  expect(resolved.consent.source).toBe('corrupt');
  expect(resolved.consent.scopes.size).toBe(0);
  expect(resolved.needsNotice).toBeNull();
  expect(resolved.warning).toMatch(/^keyscope: warning: analytics off: .*line 3/);
  expect(resolved.warning).not.toContain('\n');
});

it('detects a consent file that grants scopes with no ledger at all', () => {
  const paths = threeDecisions();
  writeFileSync(paths.ledgerFile, '');
  expect(verifyLedger(paths, readConsentFile(paths))).toMatchObject({ state: 'broken', atLine: 1 });
});

it('detects a torn last line', () => {
  const paths = threeDecisions();
  const text = readFileSync(paths.ledgerFile, 'utf8');
  writeFileSync(paths.ledgerFile, text.slice(0, -20));
  expect(verifyLedger(paths)).toMatchObject({ state: 'broken', atLine: 3 });
});

it('on a new decision, keeps the broken ledger aside and starts a new chain', () => {
  const paths = threeDecisions();
  const content = lines(paths);
  writeLines(paths, [content[1]!, content[0]!, content[2]!]);
  const brokenText = readFileSync(paths.ledgerFile, 'utf8');
  const result = recordDecision(paths, { scopes: ['usage'], source: 'command', now: t0 + 5000 });
  if (result.state !== 'saved') throw new Error('expected a saved decision');
  expect(result.notes).toEqual([expect.stringMatching(/broken consent ledger \(line 1: .*\) was kept as .*consent-ledger\.jsonl\.broken-/)]);
  const kept = readdirSync(paths.home).filter((name) => name.startsWith('consent-ledger.jsonl.broken-'));
  expect(kept).toHaveLength(1);
  expect(readFileSync(join(paths.home, kept[0]!), 'utf8')).toBe(brokenText);
  expect(verifyLedger(paths, readConsentFile(paths))).toMatchObject({ state: 'ok', entries: [{ seq: 1, scopes: ['usage'], prev: genesisHash }] });
});

it('records an install id rotation as an entry that says so, without either id', () => {
  const paths = threeDecisions();
  const before = readConsentFile(paths);
  if (before.state !== 'ok') throw new Error('expected a decision');
  const rotation = rotateInstallId(paths, t0 + 9000);
  if (rotation.state !== 'rotated') throw new Error('expected a rotation');
  expect(rotation.previous).toBe(before.decision.installId);
  expect(rotation.current).not.toBe(rotation.previous);
  const after = readConsentFile(paths);
  expect(after).toMatchObject({ state: 'ok', decision: { installId: rotation.current, scopes: ['errors'] } });
  const state = verifyLedger(paths, after);
  if (state.state !== 'ok') throw new Error('expected a verified ledger');
  expect(state.last).toMatchObject<Partial<LedgerEntry>>({ seq: 4, source: 'rotate-id', installIdRotated: true, scopes: ['errors'] });
  const text = readFileSync(paths.ledgerFile, 'utf8');
  expect(text).not.toContain(rotation.previous);
  expect(text).not.toContain(rotation.current);
});

it('does not count an unchanged decision as a change', () => {
  const paths = threeDecisions();
  const result = recordDecision(paths, { scopes: ['errors'], source: 'command', now: t0 + 9000 });
  expect(result.state).toBe('unchanged');
  expect(lines(paths)).toHaveLength(3);
  expect(existsSync(paths.ledgerFile)).toBe(true);
});
