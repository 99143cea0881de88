import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Result } from './harness.js';

function measure(lib: string): number {
  const child = fileURLToPath(new URL('./memory-child.ts', import.meta.url));
  const r = spawnSync(process.execPath, ['--expose-gc', '--max-old-space-size=8192', '--import', 'tsx', child, lib], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return (JSON.parse(line) as { bytesPerSeries: number }).bytesPerSeries;
  } catch {
    throw new Error(`memory child for ${lib} failed: ${r.stderr.slice(-2000)}`);
  }
}

/** Heap bytes per counter series at 1,000,000 series, each library in a fresh process (median of 3). */
export function memory(): Result {
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < 3; i++) {
    ours.push(measure('wobserver'));
    theirs.push(measure('prom-client'));
  }
  const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[1]!;
  const o = med(ours);
  const t = med(theirs);
  return {
    name: 'heap bytes per counter series (1M)',
    unit: 'B',
    ours: o,
    theirs: t,
    ratio: t / o,
    target: 2,
    note: 'heap bytes per series, label strings shared and not counted; target: at most half of prom-client',
  };
}
