/**
 * Reading the alert rules file: JSON (.json) or YAML (.yaml, .yml), validated by rules-schema.ts. Every
 * problem is one KS_ALERT_RULES_INVALID line that names the file, where in it (a line and column, or a
 * path like `rules[1].above`), and what is wrong, so the fix is obvious without opening a debugger.
 *
 * A syntax error never quotes the file: it may hold a webhook URL with a secret token, and error lines end
 * up in terminals, CI logs and bug reports. JSON.parse's messages can quote the source ("Unexpected token
 * 'x', "…" is not valid JSON") and the yaml package's hold a snippet of the line (and some interpolate a
 * token or tag), so both are rebuilt from a position and a fixed description.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';

import { type ErrorCode as YamlErrorCode, parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';

import { ErrorCodes, KeyscopeError } from '../../core/index.js';
import { type AlertRulesConfig, alertRulesSchema } from './rules-schema.js';

function invalid(file: string, message: string, cause?: unknown): KeyscopeError {
  return new KeyscopeError(ErrorCodes.alertRulesInvalid, `alert rules ${file}: ${message}`, cause === undefined ? undefined : { cause });
}

/** `rules[1].above`, or `(top level)` for the document itself. */
function documentPath(path: readonly PropertyKey[]): string {
  let text = '';
  for (const key of path) text += typeof key === 'number' ? `[${key}]` : `${text === '' ? '' : '.'}${String(key)}`;
  return text === '' ? '(top level)' : text;
}

function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0]!;
  if (issue.code === 'unrecognized_keys') return `${documentPath(issue.path)}: unknown key ${issue.keys.map((key) => `"${key}"`).join(', ')}`;
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  return `${documentPath(issue.path)}: ${issue.message}${more}`;
}

/** 1-based line and column of a 0-based offset into `text`. */
function lineAndColumn(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return `line ${line}, column ${offset - (before.lastIndexOf('\n') + 1) + 1}`;
}

/** The offset JSON.parse names in `message`, when it names one. */
function jsonErrorOffset(message: string): number | null {
  const match = / (?:in|after) JSON at position (\d+)/.exec(message);
  return match === null ? null : Number(match[1]);
}

/**
 * Where JSON.parse gave up, for the messages that name no position ("Unexpected token 'x', "…" is not valid
 * JSON"): the longest prefix that is still the start of some JSON document. Whether a prefix is one is
 * monotone (a prefix of a viable prefix is viable), so a binary search over prefixes finds the offending
 * character in log2(length) parses.
 */
function jsonFailureOffset(text: string): number {
  const viable = (length: number): boolean => {
    try {
      JSON.parse(text.slice(0, length));
      return true;
    } catch (error) {
      const message = (error as Error).message;
      if (message.startsWith('Unexpected end of JSON input')) return true;
      const offset = jsonErrorOffset(message);
      return offset !== null && offset >= length;
    }
  };
  let low = 0; // viable
  let high = text.length; // not viable
  while (high - low > 1) {
    const middle = (low + high) >> 1;
    if (viable(middle)) low = middle;
    else high = middle;
  }
  return low;
}

/** One line about a JSON syntax error: where, and V8's description only when it quotes nothing of the file. */
function jsonSyntaxError(text: string, error: Error): string {
  const message = error.message;
  if (message.startsWith('Unexpected end of JSON input')) return `${lineAndColumn(text, text.length)}: unexpected end of input`;
  const offset = jsonErrorOffset(message);
  // V8's positioned messages describe the grammar ("Expected ',' or '}' after property value"); the others
  // quote the source, so they become "unexpected character".
  const description = offset === null ? '' : message.slice(0, message.search(/ (?:in|after) JSON at position /));
  if (offset !== null && !description.includes('"')) return `${lineAndColumn(text, offset)}: ${description}`;
  return `${lineAndColumn(text, offset ?? jsonFailureOffset(text))}: unexpected character`;
}

/** Fixed descriptions of the yaml package's error codes: its messages can interpolate the file's text. */
const yamlErrors: Record<YamlErrorCode, string> = {
  ALIAS_PROPS: 'An alias cannot have an anchor or a tag',
  BAD_ALIAS: 'Bad alias',
  BAD_COLLECTION_TYPE: 'The tag does not fit this collection',
  BAD_DIRECTIVE: 'Bad directive',
  BAD_DQ_ESCAPE: 'Invalid escape sequence in a double-quoted string',
  BAD_INDENT: 'Bad indentation',
  BAD_PROP_ORDER: 'Anchors and tags must come after the indicator',
  BAD_SCALAR_START: 'A plain value cannot start with this character',
  BLOCK_AS_IMPLICIT_KEY: 'Nested mappings are not allowed in compact mappings',
  BLOCK_IN_FLOW: 'Block collections are not allowed inside flow collections',
  DUPLICATE_KEY: 'Map keys must be unique',
  IMPOSSIBLE: 'The YAML parser failed',
  KEY_OVER_1024_CHARS: 'Implicit keys must be at most 1024 characters',
  MISSING_CHAR: 'A character is missing (a closing quote or bracket, a comma, a colon, or a space after a colon)',
  MULTILINE_IMPLICIT_KEY: 'Implicit keys must be on a single line',
  MULTIPLE_ANCHORS: 'A node can have at most one anchor',
  MULTIPLE_DOCS: 'A rules file holds one YAML document',
  MULTIPLE_TAGS: 'A node can have at most one tag',
  NON_STRING_KEY: 'Keys must be strings',
  RESOURCE_EXHAUSTION: 'The document is too large or too deeply nested',
  TAB_AS_INDENT: 'Tabs are not allowed as indentation',
  TAG_RESOLVE_FAILED: 'Unresolved tag',
  UNEXPECTED_TOKEN: 'Unexpected token',
};

function parseDocument(file: string, text: string): unknown {
  const extension = extname(file).toLowerCase();
  if (extension === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      // The cause is left off: its message may quote the file.
      throw invalid(file, `not valid JSON: ${jsonSyntaxError(text, error as Error)}`);
    }
  }
  if (extension === '.yaml' || extension === '.yml') {
    try {
      // An empty YAML file is null: the same as a file that configures nothing. logLevel 'error': warnings
      // (an unresolved tag) would go to process.emitWarning with a snippet of the line.
      return parseYaml(text, { logLevel: 'error' }) ?? {};
    } catch (error) {
      if (error instanceof YAMLParseError) {
        const where = error.linePos === undefined ? '' : `line ${error.linePos[0].line}, column ${error.linePos[0].col}: `;
        throw invalid(file, `not valid YAML: ${where}${yamlErrors[error.code] ?? 'Syntax error'}`);
      }
      throw error;
    }
  }
  throw invalid(file, `must end in .json, .yaml or .yml (got "${extension || 'no extension'}")`);
}

/** Reads and validates a rules file; null → the built-in defaults only (no threshold rules, every built-in on). */
export async function loadAlertRules(file: string | null): Promise<AlertRulesConfig> {
  if (file === null) return alertRulesSchema.parse({});
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw invalid(file, `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, error);
  }
  const document = parseDocument(file, text);
  const result = alertRulesSchema.safeParse(document);
  if (!result.success) throw invalid(file, firstIssue(result.error));
  return result.data;
}

/** `$KEYSCOPE_HOME/alerts.yaml`, `.yml` or `.json`, whichever exists (in that order), else null. */
export function defaultAlertRulesFile(home: string): string | null {
  for (const name of ['alerts.yaml', 'alerts.yml', 'alerts.json']) {
    const file = join(home, name);
    if (existsSync(file)) return file;
  }
  return null;
}

/** The webhook URL configured in the rules file, or null. */
export function webhookUrl(config: AlertRulesConfig): string | null {
  return config.webhook?.url ?? null;
}
