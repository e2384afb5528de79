/**
 * Where a case's history moved (keyscope changes, and the report's history charts): the change points of its
 * series of run locations (statistics/change-points.ts, on their logs, so a step is a ratio), each named by
 * the commits either side of it and the size of the step between the typical runs before and after it.
 *
 * RSA is read on its time per prime candidate where every run has one: time per key carries the luck of the
 * prime search, which would bury a step the per-candidate series shows plainly.
 */
import { median } from '../stats/index.js';
import type { CaseHistory, HistoryPoint } from './case-history.js';
import { type ChangePointSettings, findChangePoints } from './statistics/change-points.js';

export type ChangeMeasure = 'time' | 'per-candidate';

export interface CaseChange {
  /** Index in the case's points of the first run after the change. */
  index: number;
  /** The last run before the change and the first after it. */
  before: Pick<HistoryPoint, 'runId' | 'startedAt' | 'commit'>;
  after: Pick<HistoryPoint, 'runId' | 'startedAt' | 'commit'>;
  /** Typical value (median of the runs' values, ns) from the previous change (or the start) up to this one, and from it to the next. */
  typicalBefore: number;
  typicalAfter: number;
  /** typicalAfter / typicalBefore - 1: positive is slower. */
  step: number;
  pValue: number;
}

export interface CaseChanges {
  label: string;
  key: CaseHistory['key'];
  parameters: CaseHistory['parameters'];
  measure: ChangeMeasure;
  runs: number;
  changes: CaseChange[];
}

/** The value of each point the series is read on. */
export function changeSeries(points: readonly HistoryPoint[]): { measure: ChangeMeasure; values: number[] } {
  const perCandidate = points.length > 0 && points.every((p) => p.locationPerCandidate !== null && p.locationPerCandidate > 0);
  return perCandidate ? { measure: 'per-candidate', values: points.map((p) => p.locationPerCandidate!) } : { measure: 'time', values: points.map((p) => p.location) };
}

/** The change points of a series of positive values (ns), with the typical value either side of each. */
export function seriesChanges(values: readonly number[], settings: ChangePointSettings = {}): { index: number; typicalBefore: number; typicalAfter: number; step: number; pValue: number }[] {
  const found = findChangePoints(values.map(Math.log), settings);
  const bounds = [0, ...found.map((c) => c.index), values.length];
  return found.map((change, i) => {
    const typicalBefore = median(values.slice(bounds[i], bounds[i + 1]));
    const typicalAfter = median(values.slice(bounds[i + 1], bounds[i + 2]));
    return { index: change.index, typicalBefore, typicalAfter, step: typicalAfter / typicalBefore - 1, pValue: change.pValue };
  });
}

const pointRef = ({ runId, startedAt, commit }: HistoryPoint) => ({ runId, startedAt, commit });

export function caseChanges(history: CaseHistory, settings: ChangePointSettings = {}): CaseChanges {
  const { measure, values } = changeSeries(history.points);
  const changes = seriesChanges(values, settings).map((c) => ({
    ...c,
    before: pointRef(history.points[c.index - 1]!),
    after: pointRef(history.points[c.index]!),
  }));
  return { label: history.label, key: history.key, parameters: history.parameters, measure, runs: history.points.length, changes };
}
