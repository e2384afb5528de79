/**
 * Order statistics of the n*m pairwise differences y[j] - x[i] of two ascending arrays, without ever holding
 * the n*m of them: a run can have 1,000,000 samples a side. Counting the differences at or below a value is
 * one O(n + m) two-pointer pass; a secant search over values narrows a bracket around the k-th until few
 * enough differences are left to gather and select exactly. A million a side takes about eight passes for
 * the median and the two ends of its interval together.
 *
 * Every comparison is made on the computed difference y[j] - x[i], the same rounding a brute-force list of
 * differences would have, so the result is exactly one of those differences and ties are counted the same.
 * (Rounding is monotone, so the computed differences still fall along each row and rise along each column.)
 */
import { selectInPlace } from './select-in-place.js';

/** A bracket this small (in differences) is gathered and selected directly rather than narrowed further. */
const MIN_GATHER = 4096;

/** The count of differences at or below `pivot`. */
interface Probe {
  pivot: number;
  count: number;
  /** The largest difference <= pivot and the smallest > pivot (+-Infinity where none); NaN if not tracked. */
  below: number;
  above: number;
}

export class PairDifferences {
  readonly count: number;
  private readonly gatherLimit: number;
  private scratch: Float64Array | null = null;
  /** Every count made so far: later ranks start from the tightest bracket earlier searches left. */
  private readonly probes: Probe[] = [];

  /** x and y ascending, at least one value each; neither is copied nor changed. */
  constructor(
    private readonly x: Float64Array,
    private readonly y: Float64Array,
  ) {
    if (x.length === 0 || y.length === 0) throw new RangeError('PairDifferences: both sides need values');
    this.count = x.length * y.length;
    // Gathering costs about one pass plus linear-time selection of what was gathered.
    this.gatherLimit = Math.max(MIN_GATHER, (x.length + y.length) >> 2);
  }

  /** #{(i, j): y[j] - x[i] <= d}. */
  countAtMost(d: number): number {
    return this.probe(d, false).count;
  }

  /** The k-th smallest difference, 1 <= k <= n*m. */
  select(k: number): number {
    return this.search(k)[0];
  }

  /** The median of the differences: the middle one, or the mean of the middle two when n*m is even. */
  median(): number {
    const middle = Math.floor((this.count + 1) / 2);
    const [value, next] = this.search(middle);
    return this.count % 2 === 1 ? value : (value + next) / 2;
  }

  /**
   * One counting pass. `track` also finds the differences on either side of d, which costs a third more:
   * bisection steps want them (they end a search stuck on a run of tied differences), secant steps do not.
   */
  private probe(d: number, track: boolean): Probe {
    const { x, y } = this;
    const n = x.length;
    const m = y.length;
    let p = 0; // first i with y[j] - x[i] <= d; it only moves forward as j grows
    let count = 0;
    if (!track) {
      for (let j = 0; j < m; j++) {
        const yj = y[j]!;
        while (p < n && yj - x[p]! > d) p++;
        if (p === n) break; // every later row lies wholly above d
        count += n - p;
      }
      return this.remember({ pivot: d, count, below: Number.NaN, above: Number.NaN });
    }
    let below = Number.NEGATIVE_INFINITY;
    let above = Number.POSITIVE_INFINITY;
    for (let j = 0; j < m; j++) {
      const yj = y[j]!;
      while (p < n && yj - x[p]! > d) p++;
      if (p === n) {
        // This row and every later one lie wholly above d, and this row's smallest difference is the least.
        above = Math.min(above, yj - x[n - 1]!);
        break;
      }
      count += n - p;
      const atMost = yj - x[p]!;
      if (atMost > below) below = atMost;
      if (p > 0) {
        const over = yj - x[p - 1]!;
        if (over < above) above = over;
      }
    }
    return this.remember({ pivot: d, count, below, above });
  }

  private remember(probe: Probe): Probe {
    this.probes.push(probe);
    return probe;
  }

  /**
   * Counts at a and at b (a < b) in one pass and copies the differences in (a, b] into scratch, as long as they
   * fit (gatherLimit); `written` is -1 if they did not.
   */
  private gatherBetween(a: number, b: number): { atMostA: number; atMostB: number; written: number } {
    const { x, y } = this;
    const n = x.length;
    const capacity = this.gatherLimit;
    this.scratch ??= new Float64Array(capacity);
    const scratch = this.scratch;
    let written = 0;
    let atMostA = 0;
    let atMostB = 0;
    let pb = 0; // first i with y[j] - x[i] <= b
    let pa = 0; // first i with y[j] - x[i] <= a (never before pb)
    for (let j = 0; j < y.length; j++) {
      const yj = y[j]!;
      while (pb < n && yj - x[pb]! > b) pb++;
      if (pb === n) break;
      if (pa < pb) pa = pb;
      while (pa < n && yj - x[pa]! > a) pa++;
      atMostB += n - pb;
      atMostA += n - pa;
      if (written >= 0) {
        if (written + pa - pb > capacity) written = -1;
        else for (let i = pb; i < pa; i++) scratch[written++] = yj - x[i]!;
      }
    }
    this.remember({ pivot: a, count: atMostA, below: Number.NaN, above: Number.NaN });
    this.remember({ pivot: b, count: atMostB, below: Number.NaN, above: Number.NaN });
    return { atMostA, atMostB, written };
  }

  /** The rank-th smallest of the `size` differences just gathered, and the one after it (`next` if none). */
  private selectGathered(written: number, rank: number, size: number, next: () => number): [number, number] {
    // The counts and the copy walk the same comparisons; a mismatch would be a bug here, not in the data.
    if (written !== size) throw new Error(`PairDifferences: gathered ${written} differences, expected ${size}`);
    const scratch = this.scratch!;
    selectInPlace(scratch, rank - 1, 0, size - 1);
    if (rank === size) return [scratch[rank - 1]!, next()];
    let after = Number.POSITIVE_INFINITY;
    for (let i = rank; i < size; i++) if (scratch[i]! < after) after = scratch[i]!;
    return [scratch[rank - 1]!, after];
  }

  /** The smallest difference above d (Infinity if none). */
  private smallestAbove(d: number): number {
    return this.probe(d, true).above;
  }

  /** The k-th smallest difference and the (k+1)-th (Infinity for k = n*m). */
  private search(k: number): [number, number] {
    if (!Number.isInteger(k) || k < 1 || k > this.count) throw new RangeError(`PairDifferences: rank ${k} is outside 1..${this.count}`);
    const { x, y } = this;
    // The answer lies in (loPivot, hiPivot]: countLow differences are <= loPivot, countHigh <= hiPivot.
    // Where a tracking probe found them: `lowest`, the smallest difference above loPivot; `highest`, the
    // largest at or below hiPivot; `next`, the smallest above hiPivot. NaN where unknown.
    let loPivot = Number.NEGATIVE_INFINITY;
    let countLow = 0;
    let lowest = y[0]! - x[x.length - 1]!;
    let hiPivot = y[y.length - 1]! - x[0]!;
    let countHigh = this.count;
    let highest = hiPivot;
    let next = Number.POSITIVE_INFINITY;
    for (const probe of this.probes) {
      if (probe.count >= k && probe.pivot < hiPivot) {
        [hiPivot, countHigh, highest, next] = [probe.pivot, probe.count, probe.below, probe.above];
      } else if (probe.count < k && probe.pivot > loPivot) {
        [loPivot, countLow, lowest] = [probe.pivot, probe.count, probe.above];
      }
    }
    // The (k+1)-th when k is the last rank in the bracket: the smallest difference above it.
    const beyond = (): number => (Number.isNaN(next) ? this.smallestAbove(hiPivot) : next);
    let [previous, latest] = this.secantStart(k);
    let bisect = false;
    const offset = this.gatherLimit / 4;
    for (;;) {
      if (lowest === highest) return [highest, countHigh > k ? highest : beyond()];
      const size = countHigh - countLow;
      if (size <= this.gatherLimit) {
        return this.selectGathered(this.gatherBetween(loPivot, hiPivot).written, k - countLow, size, beyond);
      }
      // Aim a little past k on the side that is further away, so that the bracket closes from both sides
      // instead of creeping in from one (the trouble with regula falsi).
      const raiseHigh = countHigh - k > k - countLow;
      const aim = Math.min(Math.max(raiseHigh ? k + offset : k - offset, countLow + 1), countHigh);
      // The answer lies in [floor, ceiling]; a pivot in [floor, ceiling) always moves one end inwards.
      const floor = Number.isNaN(lowest) ? loPivot : lowest;
      const ceiling = Number.isNaN(highest) ? hiPivot : highest;
      const useful = (value: number): boolean => value > loPivot && value >= floor && value < ceiling;
      let pivot = Number.NaN;
      if (bisect) pivot = floor + (ceiling - floor) / 2;
      else if (latest.count !== previous.count) {
        pivot = latest.pivot + ((aim - latest.count) * (latest.pivot - previous.pivot)) / (latest.count - previous.count);
      }
      if (!useful(pivot)) pivot = floor + ((ceiling - floor) * (aim - countLow)) / size;
      if (!useful(pivot)) pivot = floor + (ceiling - floor) / 2;
      if (!useful(pivot)) {
        if (!Number.isNaN(lowest) && lowest < ceiling) pivot = lowest;
        // No double lies strictly between the ends: every difference in the bracket equals the ceiling.
        else return [ceiling, countHigh > k ? ceiling : beyond()];
      }
      // A probe whose side of k would leave at most gatherLimit differences gathers them on the way (not when
      // bisecting: those probes track the neighbouring differences instead).
      const gatherLow = !bisect && aim < k && countHigh - aim <= 0.75 * this.gatherLimit;
      const gatherHigh = !bisect && aim > k && aim - countLow <= 0.75 * this.gatherLimit;
      let counted: number;
      let probe: Probe;
      if (gatherLow || gatherHigh) {
        const gathered = gatherLow ? this.gatherBetween(pivot, hiPivot) : this.gatherBetween(loPivot, pivot);
        counted = gatherLow ? gathered.atMostA : gathered.atMostB;
        probe = { pivot, count: counted, below: Number.NaN, above: Number.NaN };
        if (gathered.written >= 0 && gatherLow && counted < k) {
          return this.selectGathered(gathered.written, k - counted, countHigh - counted, beyond);
        }
        if (gathered.written >= 0 && gatherHigh && counted >= k) {
          [hiPivot, countHigh, next] = [pivot, counted, Number.NaN];
          return this.selectGathered(gathered.written, k - countLow, counted - countLow, beyond);
        }
      } else {
        probe = this.probe(pivot, bisect);
        counted = probe.count;
      }
      if (counted >= k) [hiPivot, countHigh, highest, next] = [pivot, counted, probe.below, probe.above];
      else [loPivot, countLow, lowest] = [pivot, counted, probe.above];
      // A count far from its aim means the counts are not near-linear here (a bracket still spanning the
      // tails, or a run of ties): bisect next, tracking the neighbouring differences.
      bisect = Math.abs(counted - aim) > size / 8;
      previous = latest;
      latest = probe;
    }
  }

  /**
   * The two earlier counts nearest k (in count) start the secant: after the median, the interval's ends
   * are a short extrapolation along the slope the median's search measured. Missing points come from model().
   */
  private secantStart(k: number): [{ pivot: number; count: number }, { pivot: number; count: number }] {
    const [modelLow, modelHigh] = this.model();
    let nearest: { pivot: number; count: number } | null = null;
    let second: { pivot: number; count: number } | null = null;
    for (const probe of this.probes) {
      const distance = Math.abs(probe.count - k);
      if (!nearest || distance < Math.abs(nearest.count - k)) {
        if (!nearest || nearest.count !== probe.count) second = nearest;
        nearest = probe;
      } else if (probe.count !== nearest.count && (!second || distance < Math.abs(second.count - k))) second = probe;
    }
    if (!nearest) return [modelLow, modelHigh];
    if (!second) second = nearest.count < k ? modelHigh : modelLow;
    return [second, nearest];
  }

  /**
   * Two points of the count as a function of the value, from a normal model of y - x: centred on the
   * difference of the medians, spread by the sides' interquartile ranges. The first secant step from it lands
   * near any central rank, where interpolating between the extreme differences would land far off.
   */
  private model(): [{ pivot: number; count: number }, { pivot: number; count: number }] {
    const { x, y, count } = this;
    const at = (values: Float64Array, q: number): number => values[Math.floor((values.length - 1) * q)]!;
    const centre = at(y, 0.5) - at(x, 0.5);
    const iqr = Math.hypot(at(x, 0.75) - at(x, 0.25), at(y, 0.75) - at(y, 0.25));
    // 1.349 interquartile ranges make one standard deviation; P(Z <= -1) = 0.1587.
    const sd = iqr > 0 ? iqr / 1.349 : Math.max(y[y.length - 1]! - x[0]! - (y[0]! - x[x.length - 1]!), 1);
    return [
      { pivot: centre - sd, count: count * 0.1587 },
      { pivot: centre + sd, count: count * 0.8413 },
    ];
  }
}
