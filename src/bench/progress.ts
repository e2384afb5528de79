/**
 * Progress while a run is measured. On a terminal, one bar for the whole run (cli-progress) with the time left,
 * the case being measured and its samples so far; process warnings wait until the bar has gone (held-warnings.ts).
 * Otherwise (CI logs, a pipe), one plain line per finished round and per finished case (cases finish in the
 * last round: each is measured in blocks spread across the run), with the run's progress and time left, and no
 * carriage returns.
 */
import cliProgress from 'cli-progress';

import { type CaseResult, formatNs, formatPrecision } from '../model/index.js';
import { holdProcessWarnings } from './held-warnings.js';
import { caseLabel } from './summary-table.js';
import { formatDuration, RunEstimate } from './run-estimate.js';
import type { RunEvent } from './run-suites.js';

export interface Progress {
  onEvent(event: RunEvent): void;
  /** Stops the bar and prints held warnings; safe to call more than once (the run-end event calls it too). */
  close(): void;
}

function caseName(result: CaseResult): string {
  return `${caseLabel(result)} ${result.key.implementation} ${result.key.algorithm}`;
}

function outcome(r: CaseResult): string {
  if (r.state === 'completed') return `${formatNs(r.summary.ns.median)} ${formatPrecision(r.precision.reached)} (${r.summary.ns.count} samples, stopped by ${r.precision.stoppedBy})`;
  return r.state === 'errored' ? `error ${r.error.code}: ${r.error.message}` : `skipped: ${r.reason}`;
}

function timeLeft(estimate: RunEstimate): string {
  const percent = estimate.totalMs > 0 ? Math.floor((estimate.doneMs / estimate.totalMs) * 100) : 100;
  return estimate.finished === estimate.steps ? 'run done' : `${percent}% of the run, about ${formatDuration(estimate.remainingMs())} left`;
}

/**
 * A line per finished round (`round 2/8 done | 25% of the run, about 1m 30s left`) and per finished case
 * (`[3/20] default/keygen keyscope ec-p256: 41.2 µs ±0.8% (…) | 95% of the run, about 5s left`).
 */
function lineProgress(stream: NodeJS.WritableStream): Progress {
  let estimate: RunEstimate | null = null;
  return {
    onEvent(event) {
      if (event.type === 'run-start') estimate = new RunEstimate(event.budgetsMs);
      const where = () => (estimate ? ` | ${timeLeft(estimate)}` : '');
      if (event.type === 'block-end') {
        estimate?.stepEnded(event.step);
        const lastOfRound = event.index === event.total - 1;
        if (lastOfRound && event.block < event.blocks - 1) stream.write(`round ${event.block + 1}/${event.blocks} done${where()}\n`);
      }
      if (event.type === 'case-end') stream.write(`[${event.index + 1}/${event.total}] ${caseName(event.result)}: ${outcome(event.result)}${where()}\n`);
    },
    close() {},
  };
}

function barProgress(stream: NodeJS.WriteStream): Progress {
  // Placeholders of our own ({caseNumber}, {cases}): cli-progress fills {total} and {value} itself, with the bar's total.
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{bar} {percentage}% | {elapsed} elapsed, about {left} left | round {round}/{rounds} case {caseNumber}/{cases} {name} | {samples} samples {precision}',
      hideCursor: true,
      clearOnComplete: true,
      barsize: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  let estimate: RunEstimate | null = null;
  let release: (() => void) | null = null;
  let payload = { caseNumber: 1, cases: 0, round: 1, rounds: 1, name: '', samples: 0, precision: '' };
  const draw = () => {
    if (!estimate) return;
    bar.update(estimate.doneMs, { ...payload, elapsed: formatDuration(estimate.elapsedMs()), left: formatDuration(estimate.remainingMs()) });
  };
  const close = () => {
    if (estimate) bar.stop();
    estimate = null;
    release?.();
    release = null;
  };
  return {
    onEvent(event) {
      if (event.type === 'run-start') {
        estimate = new RunEstimate(event.budgetsMs);
        release = holdProcessWarnings();
        payload = { ...payload, cases: event.cases, rounds: event.blocks };
        bar.start(Math.max(estimate.totalMs, 1), 0, { ...payload, elapsed: '0s', left: formatDuration(estimate.totalMs) });
      } else if (event.type === 'case-start') {
        payload = { ...payload, caseNumber: event.index + 1, round: event.block + 1, name: `${event.key.implementation} ${event.key.algorithm}`, samples: 0, precision: '' };
        draw();
      } else if (event.type === 'case-progress') {
        estimate?.stepProgress(event.step, event.progress.elapsedMs);
        payload = { ...payload, samples: event.progress.samples, precision: formatPrecision(event.progress.precision) };
        draw();
      } else if (event.type === 'block-end') {
        estimate?.stepEnded(event.step);
        draw();
      } else if (event.type === 'run-end') {
        close();
      }
    },
    close,
  };
}

const silent: Progress = { onEvent() {}, close() {} };

/** The progress for a run: a bar on a terminal, plain lines otherwise, nothing when quiet. */
export function createProgress(stream: NodeJS.WriteStream, options: { quiet?: boolean } = {}): Progress {
  if (options.quiet) return silent;
  return stream.isTTY ? barProgress(stream) : lineProgress(stream);
}
