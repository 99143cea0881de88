/**
 * A bounded quantile sketch with relative error (DDSketch, Masson et al.,
 * VLDB 2019). Values fall into logarithmic bins of ratio γ = (1+α)/(1-α); a
 * quantile is read as the bin's centre, so for any q the estimate x̂ is within
 * α·|x| of the true value x at rank ⌊q·(n−1)⌋, as long as no bin was collapsed.
 * With α = 1% and at most 2048 bins per sign, collapsing starts only when the
 * values span more than 17 orders of magnitude; then the lowest bins merge and
 * only the lowest quantiles lose accuracy. |values| below 1e-9 count as zero.
 * Count, sum, min and max are exact.
 */
export const SKETCH_RELATIVE_ACCURACY = 0.01;
const GAMMA = (1 + SKETCH_RELATIVE_ACCURACY) / (1 - SKETCH_RELATIVE_ACCURACY);
const INV_LOG_GAMMA = 1 / Math.log(GAMMA);
const MIN_INDEXABLE = 1e-9;
export const SKETCH_MAX_BINS = 2048;

class Bins {
  counts = new Uint32Array(32);
  /** Bin index of `counts[0]`. */
  offset = 0;
  /** Lowest and highest used index, or lo > hi when empty. */
  lo = 1;
  hi = 0;
  total = 0;

  add(index: number): void {
    if (this.total === 0) {
      this.offset = index - 16;
      this.lo = this.hi = index;
    } else if (index < this.lo || index > this.hi) {
      index = this.#extend(index);
    }
    this.counts[index - this.offset]!++;
    this.total++;
  }

  /** Index of the bin holding rank `r` (0-based) counting from the lowest bin. */
  rankFromLow(r: number): number {
    let seen = 0;
    for (let i = this.lo; i <= this.hi; i++) {
      seen += this.counts[i - this.offset]!;
      if (seen > r) return i;
    }
    return this.hi;
  }

  clear(): void {
    if (this.total === 0) return;
    this.counts.fill(0, this.lo - this.offset, this.hi - this.offset + 1);
    this.total = 0;
    this.lo = 1;
    this.hi = 0;
  }

  #extend(index: number): number {
    const hi = Math.max(this.hi, index);
    const lo = Math.max(Math.min(this.lo, index), hi - SKETCH_MAX_BINS + 1);
    // Past the bound, the lowest bins collapse into the lowest one kept.
    let moved = 0;
    for (let i = this.lo; i < lo && i <= this.hi; i++) {
      moved += this.counts[i - this.offset]!;
      this.counts[i - this.offset] = 0;
    }
    this.#fit(lo, hi);
    this.counts[lo - this.offset]! += moved;
    this.lo = lo;
    this.hi = hi;
    return index < lo ? lo : index;
  }

  /** Makes `counts` cover [lo, hi], moving or growing it. */
  #fit(lo: number, hi: number): void {
    const span = hi - lo + 1;
    if (lo >= this.offset && hi < this.offset + this.counts.length) return;
    let size = this.counts.length;
    while (size < span + 16) size *= 2;
    size = Math.min(size, SKETCH_MAX_BINS + 32);
    const next = new Uint32Array(size);
    const offset = lo - Math.max(0, Math.floor((size - span) / 2));
    const from = Math.max(this.lo, lo);
    const to = Math.min(this.hi, hi);
    for (let i = from; i <= to; i++) next[i - offset] = this.counts[i - this.offset]!;
    this.counts = next;
    this.offset = offset;
  }
}

/** Per-interval statistics of one series: exact count, sum, min, max; quantiles within 1%. */
export class Sketch {
  count = 0;
  sum = 0;
  min = Infinity;
  max = -Infinity;
  #zero = 0;
  #pos = new Bins();
  #neg: Bins | undefined;

  add(v: number): void {
    this.count++;
    this.sum += v;
    if (v < this.min) this.min = v;
    if (v > this.max) this.max = v;
    if (v > MIN_INDEXABLE) this.#pos.add(Math.ceil(Math.log(v) * INV_LOG_GAMMA));
    else if (v < -MIN_INDEXABLE) (this.#neg ??= new Bins()).add(Math.ceil(Math.log(-v) * INV_LOG_GAMMA));
    else this.#zero++;
  }

  /** Estimate of the q-quantile (0 <= q <= 1); NaN when empty. */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.floor(q * (this.count - 1));
    let r = rank;
    let x: number;
    const neg = this.#neg?.total ?? 0;
    if (r < neg) {
      // Negative values: the lowest rank is the largest magnitude.
      x = -centre(this.#neg!.rankFromLow(neg - 1 - r));
    } else if ((r -= neg) < this.#zero) {
      x = 0;
    } else {
      x = centre(this.#pos.rankFromLow(r - this.#zero));
    }
    return Math.min(this.max, Math.max(this.min, x));
  }

  clear(): void {
    this.count = 0;
    this.sum = 0;
    this.min = Infinity;
    this.max = -Infinity;
    this.#zero = 0;
    this.#pos.clear();
    this.#neg?.clear();
  }
}

function centre(index: number): number {
  return (2 * Math.pow(GAMMA, index)) / (GAMMA + 1);
}
