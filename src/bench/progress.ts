/**
 * Progress while a run is measured: a bar per case on a terminal (cli-progress), one plain line per finished
 * case otherwise (CI logs).
 */
import cliProgress from 'cli-progress';

import { formatNs, formatPrecision } from './format.js';
import type { RunEvent } from './run-suites.js';

export function progressReporter(stream: NodeJS.WriteStream): (event: RunEvent) => void {
  if (!stream.isTTY) {
    return (event) => {
      if (event.type !== 'case-end') return;
      const r = event.result;
      const what = `[${event.index + 1}/${event.total}] ${r.key.suite}/${r.key.case} ${r.key.implementation} ${r.key.algorithm}`;
      const outcome =
        r.state === 'completed'
          ? `${formatNs(r.summary.ns.median)} ${formatPrecision(r.precision.reached)} (${r.summary.ns.count} samples, stopped by ${r.precision.stoppedBy})`
          : r.state === 'errored'
            ? `error ${r.error.code}: ${r.error.message}`
            : `skipped: ${r.reason}`;
      stream.write(`${what}: ${outcome}\n`);
    };
  }
  const bar = new cliProgress.SingleBar(
    { stream, format: '{bar} {percentage}% | case {index}/{total} {name} | {samples} samples {precision}', hideCursor: true, clearOnComplete: true },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  return (event) => {
    if (event.type === 'case-start') {
      const name = `${event.key.implementation} ${event.key.algorithm}`;
      if (!started) bar.start(event.maxTimeMs, 0, { index: 1, total: event.total, name, samples: 0, precision: '' });
      else bar.setTotal(event.maxTimeMs);
      started = true;
      bar.update(0, { index: event.index + 1, total: event.total, name, samples: 0, precision: '' });
    } else if (event.type === 'case-progress') {
      bar.update(Math.min(event.progress.elapsedMs, bar.getTotal()), { samples: event.progress.samples, precision: formatPrecision(event.progress.precision) });
    } else if (event.type === 'case-end' && event.index === event.total - 1) {
      bar.stop();
    }
  };
}
