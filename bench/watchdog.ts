// The blocked event-loop watchdog's cost and speed: the idle CPU of a process with it on
// vs off (and with the debugger kept enabled, the choice it does not make), and the time
// from a block's start to its stack in hand.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { createRedactor } from '../src/runtime/index.js';
import { EventLoopWatchdog } from '../src/runtime/watchdog/index.js';
import { type Result, median } from './harness.js';

type Mode = 'off' | 'on' | 'worker' | 'debugger' | 'timer';

/**
 * The idle child, bundled into one file run by plain node, as a service runs: through tsx,
 * every process has tsx's loader thread, which the watchdog would watch as a worker.
 * Inside node_modules/.cache so that its packages (kept outside the bundle) resolve.
 */
async function bundledChild(): Promise<string> {
  const out = fileURLToPath(new URL('../node_modules/.cache/wobserver-bench/watchdog-child.mjs', import.meta.url));
  await build({ entryPoints: [fileURLToPath(new URL('./watchdog-child.ts', import.meta.url))], bundle: true, platform: 'node', format: 'esm', target: 'node20', packages: 'external', outfile: out, logLevel: 'error' });
  return out;
}

async function idleCpu(file: string, mode: Mode, seconds: number): Promise<number> {
  const child = spawn(process.execPath, [file, mode, String(seconds)], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await once(child, 'exit');
  return (JSON.parse(out) as { cpuPercent: number }).cpuPercent;
}

function spin(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end);
}

function percentile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]!;
}

/** Blocks the bench's own main thread `n` times for `ms` and reads each block's captureMs. */
async function captureTimes(thresholdMs: number, n: number, ms: number): Promise<number[]> {
  const w = new EventLoopWatchdog(createRedactor(), { thresholdMs, capturesPerMinute: 100_000, workers: false, events: n });
  try {
    await w.ready();
    for (let i = 0; i < n; i++) {
      spin(ms);
      await new Promise((r) => setTimeout(r, Math.max(50, thresholdMs)));
    }
    await new Promise((r) => setTimeout(r, 200));
    return w
      .info()
      .events.map((e) => e.captureMs)
      .filter((x): x is number => x !== null);
  } finally {
    w.close();
  }
}

/**
 * Idle CPU (process.cpuUsage over every thread, % of one core) of an idle process
 * with an observer, watchdog off vs on (and one plain 100 ms timer, for scale), `WATCHDOG_ROUNDS` (3) rounds of
 * `WATCHDOG_IDLE_SECONDS` (20) s, the modes of a round run side by side; and the
 * time from block start to stack for 40 blocks of 500 ms at the default threshold.
 */
export async function watchdog(): Promise<Result[]> {
  const rounds = Number(process.env.WATCHDOG_ROUNDS ?? 3);
  const seconds = Number(process.env.WATCHDOG_IDLE_SECONDS ?? 20);
  const modes: Mode[] = ['off', 'on', 'worker', 'debugger', 'timer'];
  const cpu: Record<Mode, number[]> = { off: [], on: [], worker: [], debugger: [], timer: [] };
  const file = await bundledChild();
  for (let r = 0; r < rounds; r++) {
    const got = await Promise.all(modes.map((mode) => idleCpu(file, mode, seconds)));
    modes.forEach((mode, i) => cpu[mode].push(got[i]!));
  }
  const m = { off: median(cpu.off), on: median(cpu.on), worker: median(cpu.worker), debugger: median(cpu.debugger), timer: median(cpu.timer) };
  const added = m.on - m.off;
  const times = await captureTimes(200, 40, 500);
  const fast = await captureTimes(50, 40, 200);
  const capture = { median: median(times), p95: percentile(times, 95), fastMedian: median(fast), fastP95: percentile(fast, 95) };
  const note = `idle CPU of a bundled process run by plain node, medians of ${rounds} rounds of ${seconds} s: watchdog off ${m.off.toFixed(3)} %, on ${m.on.toFixed(3)} % (+${added.toFixed(3)} % of a core: resting, the main thread wakes for it every 2 s and the watchdog thread once a second), with one idle worker thread watched ${m.worker.toFixed(3)} % (+${(m.worker - m.off).toFixed(3)} %: a worker's heartbeat does not rest), with Debugger kept enabled ${m.debugger.toFixed(3)} %; for scale, one empty 100 ms timer adds ${(m.timer - m.off).toFixed(3)} % here`;
  const captureNote = `block start to stack in hand, ${times.length} blocks of 500 ms at thresholdMs 200: median ${capture.median.toFixed(1)} ms, p95 ${capture.p95.toFixed(1)} ms; ${fast.length} blocks of 200 ms at thresholdMs 50: median ${capture.fastMedian.toFixed(1)} ms, p95 ${capture.fastP95.toFixed(1)} ms (both include the threshold itself)`;
  return [
    // Target: the watchdog adds under 0.1 % of a core; ratio = 0.1 / added.
    { name: 'watchdog idle CPU added, % of a core (anchor: the 0.1 % budget)', unit: '%', ours: added, theirs: 0.1, ratio: 0.1 / Math.max(added, 1e-6), target: 1, note },
    { name: 'watchdog capture, block start to stack (anchor: threshold + 100 ms)', unit: 'ms', ours: capture.median, theirs: 300, ratio: 300 / capture.median, target: 1, note: captureNote },
  ];
}
