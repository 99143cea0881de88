import { endianness } from 'node:os';

/**
 * A bounded quantile sketch with relative error, in the manner of DDSketch
 * (Masson et al., VLDB 2019) and HdrHistogram: a value's bin is its binary
 * exponent and the top 6 bits of its mantissa, read straight from the IEEE 754
 * bits (no logarithm on the hot path). Each power of two is split into 64
 * linear bins, each at most 1/64 of its value wide, and a quantile is read as
 * its bin's midpoint: for any q the estimate x̂ is within 2^-7 (0.78%) of |x|,
 * where x is the exact value at rank ⌊q·(n−1)⌋, as long as no bin was
 * collapsed. With at most 4096 bins per sign (64 powers of two, about 19
 * orders of magnitude), wider data collapse the lowest bins into the lowest
 * kept one and only the lowest quantiles lose accuracy. Count, sum, min and
 * max are exact; quantiles are clamped to [min, max].
 */
export const SKETCH_RELATIVE_ACCURACY = 2 ** -7;
export const SKETCH_MAX_BINS = 4096;
const SUB_BITS = 6;
const SHIFT = 20 - SUB_BITS;
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = endianness() === 'LE' ? 1 : 0;

/** Bin of a positive finite number: its exponent and top mantissa bits. */
function binOf(v: number): number {
  f64[0] = v;
  return u32[HI]! >>> SHIFT;
}

/** Midpoint of a bin. */
function centre(index: number): number {
  u32[HI] = (index << SHIFT) | (1 << (SHIFT - 1));
  u32[1 - HI] = 0;
  return f64[0]!;
}

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
    if (v > 0) this.#pos.add(binOf(v));
    else if (v < 0) (this.#neg ??= new Bins()).add(binOf(-v));
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
