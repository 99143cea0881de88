import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { type Result, median } from './harness.js';

function cpu(mode: string): number {
  const child = fileURLToPath(new URL('./sampler-child.ts', import.meta.url));
  const r = spawnSync(process.execPath, ['--import', 'tsx', child, mode, '6000'], { encoding: 'utf8', timeout: 60_000 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  try {
    return (JSON.parse(line) as { percent: number }).percent;
  } catch {
    throw new Error(`sampler child ${mode} failed: ${r.stderr.slice(-1500)}`);
  }
}

/**
 * CPU of a live-charts sampler, each contender alone in a fresh, otherwise idle
 * process, minus an idle process's: wobserver's load sampler with one subscriber
 * against express-status-monitor's gatherers (interleaved, medians of 3).
 */
export function sampler(): Result {
  const idle: number[] = [];
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let r = 0; r < 3; r++) {
    idle.push(cpu('idle'));
    ours.push(cpu('wobserver'));
    theirs.push(cpu('esm'));
  }
  const base = median(idle);
  const o = Math.max(0.001, median(ours) - base);
  const t = Math.max(0.001, median(theirs) - base);
  return {
    name: 'live sampler CPU (% of a core)',
    unit: '%',
    ours: o,
    theirs: t,
    ratio: t / o,
    target: 1,
    note: `CPU above an idle process (${base.toFixed(3)}%): wobserver ${o.toFixed(3)}% with one subscriber (0 without any), express-status-monitor ${t.toFixed(3)}% always`,
  };
}
