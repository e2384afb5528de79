import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeEach, describe, expect, it } from 'vitest';

import { ErrorCodes, KeyscopeError } from '../../src/core/errors.js';
import { defaultAlertRulesFile, loadAlertRules, webhookUrl } from '../../src/monitor/alerts/index.js';
import { codeBlocks, section } from '../support/markdown.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'keyscope-alert-rules-'));
});

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** The documented example (docs/alerts.md, "The rules file"), in both formats, read from the page itself. */
const rulesFileSection = section(readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'alerts.md'), 'utf8'), 'The rules file');
const exampleYaml = codeBlocks(rulesFileSection, 'yaml')[0] ?? '';
const exampleJson = codeBlocks(rulesFileSection, 'json')[0] ?? '';

describe('loadAlertRules', () => {
  it('reads the documented example as YAML and as JSON, to the same resolved config', async () => {
    expect(exampleYaml).toContain('rsa-p99-slow');
    expect(exampleJson).toContain('rsa-p99-slow');
    const yaml = await loadAlertRules(file('alerts.yaml', exampleYaml));
    const json = await loadAlertRules(file('alerts.json', exampleJson));
    expect(json).toEqual(yaml);
    expect(yaml.rules).toEqual([
      { name: 'rsa-p99-slow', metric: 'latency.p99', algorithm: 'rsa-2048', direction: 'above', threshold: 250_000_000, for: 600_000, step: 60_000, minEvents: 1, severity: 'critical' },
      { name: 'keygen-errors', metric: 'error-rate', direction: 'above', threshold: 0.02, for: 900_000, step: 60_000, minEvents: 20, severity: 'warning' },
      { name: 'api-success', metric: 'success-rate', source: 'api.call', operation: 'generateKeyPair', direction: 'below', threshold: 0.99, for: 1_800_000, step: 300_000, minEvents: 1, severity: 'warning' },
    ]);
    expect(yaml.builtin).toEqual({
      weakParameters: { enabled: true, lookback: 86_400_000, severity: 'warning' },
      bursts: { enabled: true, lookback: 3_600_000, severity: 'warning' },
      repeatedFailures: { enabled: false, lookback: 3_600_000, severity: 'warning' },
    });
    expect(yaml.anomaly.rate).toEqual({ enabled: true, zThreshold: 5, minHistory: 24, bucket: 3_600_000, history: 14 * 86_400_000, severity: 'info' });
    expect(webhookUrl(yaml)).toBe('http://127.0.0.1:9000/hook');
    expect(yaml.webhook?.timeout).toBe(5000);
  });

  it('gives the built-in defaults for no file and for an empty YAML file', async () => {
    const defaults = await loadAlertRules(null);
    expect(defaults.rules).toEqual([]);
    expect(defaults.builtin.bursts).toEqual({ enabled: true, lookback: 3_600_000, severity: 'warning' });
    expect(defaults.anomaly.latency).toEqual({ enabled: true, zThreshold: 4, minHistory: 20, bucket: 3_600_000, history: 7 * 86_400_000, severity: 'warning' });
    expect(defaults.anomaly.ewma).toEqual({ alpha: 0.3 });
    expect(webhookUrl(defaults)).toBeNull();
    expect(await loadAlertRules(file('empty.yml', ''))).toEqual(defaults);
    expect(latencyOf(await loadAlertRules(file('ns.yaml', 'rules: [{ name: a, metric: latency.p50, above: 1500 }]')))).toBe(1500);
    expect(latencyOf(await loadAlertRules(file('us.yaml', 'rules: [{ name: a, metric: latency.max, above: 2.5us }]')))).toBe(2500);
  });
});

function latencyOf(config: Awaited<ReturnType<typeof loadAlertRules>>): number | undefined {
  return config.rules[0]?.threshold;
}

async function rejection(name: string, text: string): Promise<KeyscopeError> {
  const path = file(name, text);
  const error = await loadAlertRules(path).then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(KeyscopeError);
  expect((error as KeyscopeError).code).toBe(ErrorCodes.alertRulesInvalid);
  expect((error as KeyscopeError).message.startsWith(`alert rules ${path}: `)).toBe(true);
  return error as KeyscopeError;
}

/** Each bad document, as YAML and as the same JSON, with the message after "alert rules FILE: ". */
const invalid: [string, unknown, string][] = [
  ['unknown key in a rule', { rules: [{ name: 'a', metric: 'latency.p99', abvoe: '250ms' }] }, 'rules[0]: unknown key "abvoe"'],
  ['unknown top-level key', { rule: [] }, '(top level): unknown key "rule"'],
  ['unknown built-in', { builtin: { weakParams: { enabled: false } } }, 'builtin: unknown key "weakParams"'],
  ['unknown metric', { rules: [{ name: 'a', metric: 'latency.p95', above: '1ms' }] }, 'rules[0].metric: Invalid option: expected one of "latency.p50"|"latency.p90"|"latency.p99"|"latency.max"|"error-rate"|"success-rate"|"keys-per-minute"'],
  ['no threshold', { rules: [{ name: 'a', metric: 'latency.p99' }] }, 'rules[0]: needs exactly one of "above" and "below"'],
  ['two thresholds', { rules: [{ name: 'a', metric: 'error-rate', above: 0.1, below: 0.2 }] }, 'rules[0]: needs exactly one of "above" and "below"'],
  ['a rate above 1', { rules: [{ name: 'a', metric: 'error-rate', above: 3 }] }, 'rules[0].above: a rate is a bare number above 1: write 3% for 3 percent (a bare number is a fraction: 0.05 means 5%) (got 3)'],
  ['a latency in minutes', { rules: [{ name: 'a', metric: 'latency.p50', above: '2m' }] }, 'rules[0].above: must be a duration in ns, us, ms or s, like 250ms (got "2m")'],
  ['keys per minute as text', { rules: [{ name: 'a', metric: 'keys-per-minute', below: 'ten' }] }, 'rules[0].below: must be a number of keys per minute >= 0 (got "ten")'],
  ['a duration in words', { rules: [{ name: 'a', metric: 'error-rate', above: 0.1, for: '10 minutes' }] }, 'rules[0].for: must be a duration like 90s, 10m, 1h or 7d (got "10 minutes")'],
  ['a step longer than for', { rules: [{ name: 'a', metric: 'error-rate', above: 0.1, for: '1m', step: '5m' }] }, 'rules[0].step: must not be longer than "for"'],
  ['a source on latency', { rules: [{ name: 'a', metric: 'latency.p50', above: '1ms', source: 'api.call' }] }, 'rules[0].source: latency is always read from keygen.timing; "source" applies to rates and counts'],
  ['a bad name', { rules: [{ name: 'Slow RSA', metric: 'latency.p50', above: '1ms' }] }, 'rules[0].name: must be 1 to 64 of a-z, 0-9, ".", "_" and "-"'],
  ['duplicate names', { rules: [{ name: 'a', metric: 'latency.p50', above: '1ms' }, { name: 'a', metric: 'error-rate', above: 0.1 }] }, 'rules[1].name: duplicate rule name "a"'],
  ['a short anomaly history', { anomaly: { rate: { bucket: '1h', history: '5h' } } }, 'anomaly.rate.history: must hold at least minHistory buckets'],
  ['a webhook that is not http', { webhook: { url: 'ftp://example.com/hook' } }, 'webhook.url: must be an http:// or https:// URL'],
  ['rules that are not a list', { rules: { name: 'a' } }, 'rules: Invalid input: expected array, received object'],
];

describe.each(invalid)('a rules file with %s', (_what, document, message) => {
  it('is refused as YAML and as JSON with KS_ALERT_RULES_INVALID, naming the path', async () => {
    const { stringify } = await import('yaml');
    expect((await rejection('rules.yaml', stringify(document))).message.endsWith(`: ${message}`)).toBe(true);
    expect((await rejection('rules.json', JSON.stringify(document))).message.endsWith(`: ${message}`)).toBe(true);
  });
});

describe('unreadable and malformed files', () => {
  it('names the YAML line and column of a syntax error', async () => {
    const error = await rejection('bad.yaml', 'rules:\n  - name: a\n    metric: [latency.p99\n');
    expect(error.message).toMatch(/: not valid YAML: line \d+, column \d+: .+/);
    expect(error.message).not.toContain('\n');
  });

  it('refuses duplicate YAML keys', async () => {
    expect((await rejection('dup.yml', 'rules: []\nrules: []\n')).message).toMatch(/: not valid YAML: line 2, column 1: Map keys must be unique/);
  });

  it('names a JSON syntax error', async () => {
    expect((await rejection('bad.json', '{"rules": [}')).message).toMatch(/: not valid JSON: /);
  });
});

describe('syntax errors in a file that holds a secret', () => {
  const secretUrl = 'https://hooks.example/T0/B0?token=SECRET123';
  async function safeRejection(name: string, text: string): Promise<string> {
    const error = await rejection(name, text);
    expect(error.message).not.toContain('SECRET123');
    expect(error.message).not.toContain('hooks.example');
    expect(error.message).not.toContain('\n');
    // The parser's own error, which quotes the file, is not kept as the cause either.
    expect(error.cause).toBeUndefined();
    return error.message.slice(error.message.indexOf(': ') + 2);
  }

  it('names the JSON line and column, never the content', async () => {
    // V8 names a position here; the message is kept, the position becomes a line and column.
    expect(await safeRejection('a.json', `{\n  "webhook": { "url": "${secretUrl}" },\n}\n`)).toBe('not valid JSON: line 3, column 1: Expected double-quoted property name');
    // V8 quotes the source here ("Unexpected token 'h', ..."https://hooks..." is not valid JSON") and names no position.
    expect(await safeRejection('b.json', `{\n  "webhook": { "url": ${secretUrl} }\n}\n`)).toBe('not valid JSON: line 2, column 23: unexpected character');
    expect(await safeRejection('c.json', `{"webhook": {"url": "${secretUrl}"}} trailing`)).toBe('not valid JSON: line 1, column 69: Unexpected non-whitespace character');
    expect(await safeRejection('d.json', `{"webhook": {"url": "${secretUrl}`)).toMatch(/^not valid JSON: line 1, column \d+: Unterminated string$/);
    expect(await safeRejection('e.json', `{"webhook": {"url": "${secretUrl}"`)).toBe(`not valid JSON: line 1, column 66: Expected ',' or '}' after property value`);
    expect(await safeRejection('f.json', `{"webhook": {"url": "${secretUrl}"}, "on": tru`)).toBe('not valid JSON: line 1, column 78: unexpected end of input');
  });

  it('names the YAML line and column with a fixed description, never a snippet', async () => {
    // yaml's message would be "Block scalar header includes extra characters: |https://hooks.example/..." plus the line.
    expect(await safeRejection('a.yaml', `webhook:\n  url: |${secretUrl}\n`)).toBe('not valid YAML: line 2, column 9: Unexpected token');
    expect(await safeRejection('b.yaml', `webhook:\n  url: "${secretUrl}\n`)).toMatch(/^not valid YAML: line 3, column 1: A character is missing/);
    expect(await safeRejection('c.yml', `webhook: { url: "${secretUrl}" }\nwebhook: { url: "${secretUrl}" }\n`)).toBe('not valid YAML: line 2, column 1: Map keys must be unique');
  });

  it('sends no YAML warning (which would quote the line) to the process', async () => {
    const warnings: unknown[] = [];
    const listener = (warning: unknown) => warnings.push(warning);
    process.on('warning', listener);
    try {
      // An unknown tag is a warning in yaml, not an error; the document is then refused by the schema.
      expect((await rejection('tag.yaml', `webhook: { url: !<${secretUrl}> x }\n`)).message).not.toContain('SECRET123');
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', listener);
    }
    expect(warnings).toEqual([]);
  });

  it('refuses other extensions and missing files', async () => {
    expect((await rejection('rules.toml', 'rules = []')).message).toMatch(/: must end in \.json, \.yaml or \.yml \(got "\.toml"\)$/);
    const missing = join(dir, 'nope.yaml');
    await expect(loadAlertRules(missing)).rejects.toThrow(new KeyscopeError(ErrorCodes.alertRulesInvalid, `alert rules ${missing}: cannot be read (ENOENT)`));
  });
});

describe('defaultAlertRulesFile', () => {
  it('finds alerts.yaml, then .yml, then .json in the home, else null', () => {
    expect(defaultAlertRulesFile(dir)).toBeNull();
    file('alerts.json', '{}');
    expect(defaultAlertRulesFile(dir)).toBe(join(dir, 'alerts.json'));
    file('alerts.yml', '');
    expect(defaultAlertRulesFile(dir)).toBe(join(dir, 'alerts.yml'));
    file('alerts.yaml', '');
    expect(defaultAlertRulesFile(dir)).toBe(join(dir, 'alerts.yaml'));
  });
});
