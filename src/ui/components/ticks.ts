/**
 * Round axis ticks for the charts, one unit per axis: bytes at binary steps
 * (16 / 32 / 48 MiB), percent at 1-2.5-5 steps (0 / 25 / 50 / 75 / 100),
 * durations and counts at 1-2-5 steps. Pure, so that tests check the ticks
 * uPlot draws into its canvas.
 */
export type AxisKind = 'bytes' | 'bytesPerSecond' | 'percent' | 'ms' | 'seconds' | 'count' | 'perSecond';

export interface Axis {
  /** The tick values, from the axis' bottom (0 or below) to its top (at or above the largest value). */
  values: number[];
  /** The axis' one unit, shown once beside it: `MiB`, `%`, `ms`. */
  unit: string;
  /** A tick's label, in that unit and without it: `16`, `0.25`. */
  label(v: number): string;
}

const BINARY = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** The smallest round step at least `raw`: a power of two for bytes, else m × 10^k with m from `mantissas`. */
export function roundStep(raw: number, kind: AxisKind): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  if (kind === 'bytes' || kind === 'bytesPerSecond') return 2 ** Math.max(0, Math.ceil(Math.log2(raw) - 1e-9));
  const mantissas = kind === 'percent' ? [1, 2.5, 5, 10] : [1, 2, 5, 10];
  const e = 10 ** Math.floor(Math.log10(raw));
  const m = mantissas.find((x) => x * e >= raw * (1 - 1e-9)) ?? 10;
  const step = m * e;
  // Counts tick at whole numbers.
  return kind === 'count' ? Math.max(1, step) : step;
}

/** The ticks of an axis spanning `min`..`max` with at most about `most` intervals. */
export function axisTicks(min: number, max: number, kind: AxisKind, most = 5): Axis {
  const lo0 = Math.min(0, Number.isFinite(min) ? min : 0);
  let hi0 = Number.isFinite(max) ? max : 0;
  if (hi0 <= lo0) hi0 = lo0 + (kind === 'percent' ? 1 : kind === 'bytes' || kind === 'bytesPerSecond' ? 1024 : 1);
  const step = roundStep((hi0 - lo0) / Math.max(1, most), kind);
  const lo = Math.floor(lo0 / step + 1e-9) * step;
  const hi = Math.ceil(hi0 / step - 1e-9) * step;
  const values: number[] = [];
  for (let i = 0; lo + i * step <= hi + step * 1e-9; i++) values.push(Number((lo + i * step).toPrecision(12)));
  return { values, ...unitOf(kind, Math.max(Math.abs(lo), Math.abs(hi)), step) };
}

function unitOf(kind: AxisKind, top: number, step: number): { unit: string; label(v: number): string } {
  const trim = (v: number): string => String(Number(v.toPrecision(6)));
  if (kind === 'bytes' || kind === 'bytesPerSecond') {
    let u = 0;
    while (u < BINARY.length - 1 && top >= 1024 ** (u + 1)) u++;
    const scale = 1024 ** u;
    return { unit: `${BINARY[u]}${kind === 'bytesPerSecond' ? '/s' : ''}`, label: (v) => trim(v / scale) };
  }
  if (kind === 'ms' && step >= 1000) return { unit: 's', label: (v) => trim(v / 1000) };
  const units: Record<AxisKind, string> = { bytes: 'B', bytesPerSecond: 'B/s', percent: '%', ms: 'ms', seconds: 's', count: '', perSecond: '/s' };
  return { unit: units[kind], label: trim };
}
