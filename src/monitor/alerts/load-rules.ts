/**
 * Reading the alert rules file: JSON (.json) or YAML (.yaml, .yml), validated by rules-schema.ts. Every
 * problem is one KS_ALERT_RULES_INVALID line that names the file, where in it (a YAML line and column, or a
 * path like `rules[1].above`), and what is wrong, so the fix is obvious without opening a debugger.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';

import { parse as parseYaml, YAMLParseError } from 'yaml';
import type { z } from 'zod';

import { ErrorCodes, KeyscopeError } from '../../errors.js';
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

function parseDocument(file: string, text: string): unknown {
  const extension = extname(file).toLowerCase();
  if (extension === '.json') {
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw invalid(file, `not valid JSON: ${(error as Error).message}`, error);
    }
  }
  if (extension === '.yaml' || extension === '.yml') {
    try {
      // An empty YAML file is null: the same as a file that configures nothing.
      return parseYaml(text) ?? {};
    } catch (error) {
      if (error instanceof YAMLParseError) {
        const where = error.linePos === undefined ? '' : `line ${error.linePos[0].line}, column ${error.linePos[0].col}: `;
        // yaml's message repeats the source after the first line; the first line says what is wrong.
        throw invalid(file, `not valid YAML: ${where}${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`, error);
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
