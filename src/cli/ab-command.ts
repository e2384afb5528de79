/**
 * `keyscope ab --baseline DIR [SUITES…]`: an interleaved A/B session. The baseline build (a checkout or an
 * installed package) and the candidate (this keyscope, or --candidate DIR) measure each case in pairs of blocks
 * back to back on one CPU, and the pairs are compared (compare's interleaved method): drift between the two is
 * cancelled, so a smaller change can be told from the noise than two separate runs allow.
 */
import { resolve } from 'node:path';

import { createProgress, handicapFromEnvironment, handicapVariable, type InterleavedSession, minimumPairs, resolveBuild, runInterleaved, thisBuild } from '../bench/index.js';
import { compareRuns, type ComparisonFormat, comparisonFormats, referenceOf, reportToGithub, type RunComparison } from '../compare/index.js';
import { ErrorCodes, KeyscopeError } from '../core/index.js';
import { chooseCpus, parseBlocks } from './bench-command.js';
import type { CommandIO } from './command-context.js';
import { parseComparisonOptions } from './compare-command.js';

export interface AbCommandOptions {
  baseline?: string;
  candidate?: string;
  quick?: boolean;
  dir?: string;
  blocks?: string;
  cpu?: string;
  pin?: boolean;
  seed?: string;
  forks?: string;
  threshold: string;
  confidence: string;
  format: ComparisonFormat;
  strict?: boolean;
}

function parseSeed(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const seed = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !(seed <= 2 ** 31 - 1)) throw new KeyscopeError(ErrorCodes.usage, `--seed must be a whole number from 0 to 2147483647, got "${text}"`);
  return seed;
}

function parseForks(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const forks = Number(text);
  if (!/^\s*\d+\s*$/.test(text) || !(forks >= 1 && forks <= 16)) throw new KeyscopeError(ErrorCodes.usage, `--forks must be a whole number from 1 to 16 (processes a build), got "${text}"`);
  return forks;
}

/** The session's two runs, compared as pairs; one-sided cases and an aborted session said above the table. */
export function judgeSession(session: InterleavedSession, settings: { threshold: number; confidence: number; strict: boolean }): RunComparison {
  const side = (run: InterleavedSession['baseline'], root: string) => ({ run, reference: referenceOf({ run, source: `interleaved session, build at ${root}` }) });
  const comparison = compareRuns(side(session.baseline, session.roots.baseline), side(session.candidate, session.roots.candidate), settings, { seed: session.seed, forks: session.forks });
  const notices = session.oneSided.map((c) => {
    const other = c.onlyIn === 'baseline' ? 'candidate' : 'baseline';
    const why = c.why === 'absent' ? `only the ${c.onlyIn} build has it` : `the ${other} build skips it`;
    return `${c.key.suite}/${c.key.case} ${c.key.implementation} ${c.key.algorithm}: ${why}, not measured`;
  });
  if (session.baseline.status === 'aborted') notices.push('the session was interrupted: judged on the pairs measured before it stopped');
  return { ...comparison, notices: [...notices, ...comparison.notices] };
}

export async function runAb(patterns: string[], options: AbCommandOptions, io: CommandIO & { stderr: NodeJS.WriteStream; color?: boolean }): Promise<number> {
  if (options.baseline === undefined) throw new KeyscopeError(ErrorCodes.usage, '--baseline DIR is required: the keyscope build to compare against (a checkout or an installed package)');
  const settings = { ...parseComparisonOptions(options), strict: options.strict ?? false };
  const blocks = options.blocks === undefined ? undefined : parseBlocks(options.blocks);
  if (blocks !== undefined && blocks < minimumPairs) throw new KeyscopeError(ErrorCodes.usage, `--blocks must be at least ${minimumPairs} in a session: the pairs' trimmed mean needs 3, got "${options.blocks}"`);
  const seed = parseSeed(options.seed);
  const forks = parseForks(options.forks);
  // Refused before any worker starts: a directory that is not a build, or a build with no worker.
  const baselineRoot = resolveBuild(options.baseline);
  const candidateRoot = resolveBuild(options.candidate ?? thisBuild);
  const handicap = handicapFromEnvironment(io.env);
  const quiet = options.format === 'json';
  const cpus = options.pin === false ? null : chooseCpus(options.cpu);
  if (cpus && !cpus.pinned && !quiet) io.stderr.write(`keyscope: not pinned to a CPU (${cpus.reason}); pairs will be noisier\n`);
  if (handicap !== null && !quiet) io.stderr.write(`keyscope: ${handicapVariable} is set: the candidate's every operation is slowed by ${handicap * 100}% on purpose (the baseline runs without it)\n`);
  // The test hook slows one side only, so that a session can show it finds a change it knows is there.
  const baselineEnv = { ...io.env };
  delete baselineEnv[handicapVariable];

  const controller = new AbortController();
  const onSignal = () => controller.abort(new Error('interrupted'));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const progress = createProgress(io.stderr, { quiet });
  let session: InterleavedSession;
  try {
    session = await runInterleaved({ dir: baselineRoot, env: baselineEnv }, { dir: candidateRoot, env: io.env }, {
      patterns,
      quick: options.quick ?? false,
      cpus: cpus?.pinned ? cpus.cpus : [],
      signal: controller.signal,
      onEvent: (event) => progress.onEvent(event),
      ...(options.dir === undefined ? {} : { dir: resolve(options.dir) }),
      ...(blocks === undefined ? {} : { blocks }),
      ...(seed === undefined ? {} : { seed }),
      ...(forks === undefined ? {} : { forks }),
    });
  } finally {
    progress.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
  const comparison = judgeSession(session, settings);
  io.stdout.write(comparisonFormats[options.format](comparison, { color: io.color ?? false }));
  await reportToGithub(comparison, io.env, (line) => io.stderr.write(line));
  if (session.baseline.status === 'aborted') return 130;
  return comparison.counts.regressed > 0 ? 1 : 0;
}
