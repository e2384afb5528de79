/**
 * One reading of a proportion for every place a person writes one (compare's and report's --threshold and
 * --confidence, compareRuns/compareSamples in the API, rates in the alert rules file): `5%` and `0.05` are the
 * same, a percentage carries its `%`, a bare number is a fraction. A bare number above 1 (`5`) could be either
 * and is refused with a message that says what to write. Fractions are what the API and the rules file always
 * took, and a bare `0.05` meaning 5% in one place and 0.05% in another is the trap this closes; so the CLI, whose
 * bare numbers were percent, is the one that changed.
 */

export interface FractionRange {
  min: number;
  max: number;
  /** Whether min and max themselves are allowed (default: both). */
  minInclusive?: boolean;
  maxInclusive?: boolean;
}

export type FractionResult = { ok: true; value: number } | { ok: false; problem: string };

const percentPattern = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*%\s*$/;
const barePattern = /^\s*(\d+(?:\.\d+)?|\.\d+)\s*$/;

function percent(fraction: number): string {
  return `${Number((fraction * 100).toPrecision(6))}%`;
}

function describeRange(range: FractionRange): string {
  const low = `${range.minInclusive === false ? 'above' : 'from'} ${percent(range.min)}`;
  const high = `${range.maxInclusive === false ? 'below' : 'up to'} ${percent(range.max)}`;
  return `${low} ${high}`;
}

function inRange(value: number, range: FractionRange): boolean {
  const aboveMin = range.minInclusive === false ? value > range.min : value >= range.min;
  const belowMax = range.maxInclusive === false ? value < range.max : value <= range.max;
  return aboveMin && belowMax;
}

/**
 * `"5%"`, `"0.05"` and `0.05` → 0.05. The problem, when there is one, is a phrase to put after the option's name
 * ("must be …"), with an example taken from what was written where that helps.
 */
export function parseFraction(input: unknown, range: FractionRange): FractionResult {
  let value: number;
  let bare: boolean;
  if (typeof input === 'number') {
    value = input;
    bare = true;
  } else if (typeof input === 'string' && percentPattern.test(input)) {
    value = Number(percentPattern.exec(input)![1]) / 100;
    bare = false;
  } else if (typeof input === 'string' && barePattern.test(input)) {
    value = Number(barePattern.exec(input)![1]);
    bare = true;
  } else {
    return { ok: false, problem: `must be a percentage like 5% or a fraction like 0.05, ${describeRange(range)}` };
  }
  if (bare && Number.isFinite(value) && value > 1) {
    const shown = Number(value.toPrecision(6));
    return { ok: false, problem: `is a bare number above 1: write ${shown}% for ${shown} percent (a bare number is a fraction: 0.05 means 5%)` };
  }
  // A bare 1 is as ambiguous as a bare 5 (1 percent, or all of it?): a rule "above: 1" meant as 1% could never fire.
  if (bare && value === 1) {
    return { ok: false, problem: 'is a bare 1: write 1% for 1 percent or 100% for all of it (a bare number is a fraction: 0.05 means 5%)' };
  }
  if (!Number.isFinite(value) || !inRange(value, range)) {
    return { ok: false, problem: `must be ${describeRange(range)} (a percentage like 5% or a fraction like 0.05)` };
  }
  return { ok: true, value };
}
