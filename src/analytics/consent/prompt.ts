/**
 * Asks, once, which scopes to allow: the notice, then one yes/no question per scope, default no. Runs on the
 * streams it is given (the CLI passes stdin and stderr, so stdout stays clean for keys). Reads lines through
 * the interface's async iterator, which queues lines typed or piped ahead of a question instead of dropping
 * them; the end of input (or Ctrl-C) answers "no" to every question left.
 */
import { createInterface } from 'node:readline/promises';

import { allScopes, type Scope } from '../types.js';
import { currentNoticeVersion, noticeText, scopeSummaries } from './notice.js';

export interface PromptForConsentOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  noticeVersion?: number;
  /** Shown in the notice as where the data stays. */
  home: string;
}

function isYes(answer: string): boolean {
  const normalized = answer.trim().toLowerCase();
  return normalized === 'y' || normalized === 'yes';
}

/** Returns the scopes the person allowed, in allScopes order (possibly none). */
export async function promptForConsent(options: PromptForConsentOptions): Promise<Scope[]> {
  const { input, output } = options;
  const rl = createInterface({ input, output, terminal: (output as { isTTY?: boolean }).isTTY === true });
  // Created before the first question so that no line arriving early is lost.
  const lines = rl[Symbol.asyncIterator]();
  rl.on('SIGINT', () => rl.close());
  const granted: Scope[] = [];
  try {
    output.write(`${noticeText(options.home, options.noticeVersion ?? currentNoticeVersion)}\n\n`);
    for (const scope of allScopes) {
      // Through setPrompt, so that line editing in a terminal redraws the question correctly.
      rl.setPrompt(`Allow ${scope} (${scopeSummaries[scope]})? [y/N] `);
      rl.prompt();
      const next = await lines.next();
      if (next.done) {
        output.write('\n');
        break;
      }
      if (isYes(next.value)) granted.push(scope);
    }
  } finally {
    rl.close();
  }
  return granted;
}
