/** `keyscope compare [BASELINE] [CANDIDATE]`: did the candidate get slower, with what confidence. */
import { compareRuns } from '../compare/compare-runs.js';
import { comparisonFormats, type ComparisonFormat } from '../compare/format/index.js';
import { reportToGithub } from '../compare/github.js';
import { referenceOf, resolveComparisonPair } from '../compare/resolve-runs.js';
import type { RunComparison } from '../compare/types.js';
import { ErrorCodes, KeyscopeError } from '../errors.js';
import type { CommandIO } from './keygen-command.js';
import { withStoreIfNeeded } from './runs-command.js';

export interface CompareCommandOptions {
  threshold: string;
  confidence: string;
  format: ComparisonFormat;
  strict?: boolean;
  db?: string;
}

/** "5%", "5" and "0.5%" are percentages; the flag's unit is always percent, so 0.05 means 0.05%. */
export function parsePercent(text: string, option: string, min: number, max: number): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*%?\s*$/.exec(text);
  const value = match ? Number(match[1]) : Number.NaN;
  if (!(value > min && value < max)) {
    throw new KeyscopeError(ErrorCodes.usage, `${option} must be a percentage above ${min} and below ${max}, e.g. ${option === '--threshold' ? '5%' : '99%'}; got "${text}"`);
  }
  return value / 100;
}

export async function runCompare(
  baselineReference: string | undefined,
  candidateReference: string | undefined,
  options: CompareCommandOptions,
  io: CommandIO & { color?: boolean },
): Promise<{ comparison: RunComparison; exitCode: number }> {
  const threshold = parsePercent(options.threshold, '--threshold', 0, 100);
  const confidence = parsePercent(options.confidence, '--confidence', 50, 100);
  const pair = await withStoreIfNeeded(options, (provideStore) => resolveComparisonPair(baselineReference, candidateReference, provideStore));
  const comparison = compareRuns(
    { run: pair.baseline.run, reference: referenceOf(pair.baseline) },
    { run: pair.candidate.run, reference: referenceOf(pair.candidate) },
    { threshold, confidence },
  );
  // Strict gating accepts no difference that moves timings: another CPU, Node, OpenSSL or addon build.
  const significant = comparison.environment.differences.filter((d) => d.significant).map((d) => d.field);
  if (options.strict && significant.length > 0) {
    const what = comparison.environment.sameMachine ? 'with different software' : 'on different machines';
    throw new KeyscopeError(ErrorCodes.environmentMismatch, `--strict: the runs were measured ${what} (${significant.join(', ')} differ); refusing to gate`);
  }
  io.stdout.write(comparisonFormats[options.format](comparison, { color: io.color ?? false }));
  // Annotations go to stderr (the runner reads workflow commands from both), so stdout stays pure JSON or markdown.
  await reportToGithub(comparison, io.env, (line) => process.stderr.write(line));
  return { comparison, exitCode: comparison.counts.regressed > 0 ? 1 : 0 };
}
