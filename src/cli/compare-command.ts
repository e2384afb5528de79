/** `keyscope compare [BASELINE] [CANDIDATE]`: did the candidate get slower, with what confidence. */
import { compareRuns, type ComparisonFormat, comparisonFormats, type ComparisonSettings, type ComparisonSettingsInput, referenceOf, reportToGithub, resolveComparisonPair, resolveComparisonSettings, type RunComparison } from '../compare/index.js';
import { ErrorCodes, KeyscopeError } from '../core/index.js';
import type { CommandIO } from './command-context.js';
import { withStoreIfNeeded } from './runs-command.js';

export interface CompareCommandOptions {
  threshold: string;
  confidence: string;
  format: ComparisonFormat;
  strict?: boolean;
  db?: string;
}

/** --threshold/--confidence as fractions: `5%` and `0.05` alike (src/core/fraction.ts), anything else refused. */
export function parseComparisonOptions(options: { threshold: string; confidence: string }): ComparisonSettings {
  return resolveComparisonSettings(options as ComparisonSettingsInput, (name, problem) => {
    throw new KeyscopeError(ErrorCodes.usage, `--${name} ${problem}; got "${options[name]}"`);
  });
}

export async function runCompare(
  baselineReference: string | undefined,
  candidateReference: string | undefined,
  options: CompareCommandOptions,
  io: CommandIO & { color?: boolean },
): Promise<{ comparison: RunComparison; exitCode: number }> {
  const { threshold, confidence } = parseComparisonOptions(options);
  const pair = await withStoreIfNeeded(options, (provideStore) => resolveComparisonPair(baselineReference, candidateReference, provideStore));
  const comparison = compareRuns(
    { run: pair.baseline.run, reference: referenceOf(pair.baseline) },
    { run: pair.candidate.run, reference: referenceOf(pair.candidate) },
    { threshold, confidence, strict: options.strict ?? false },
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
