import { execFile, spawn, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { availableParallelism } from 'node:os';
import { once } from 'node:events';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { createRegistry } from '../src/metrics/index.js';
import { GraphiteReporter } from '../src/reporters/index.js';
import { maxBlock, median } from './harness.js';

export interface FlushBench {
  series: number;
  lines: number;
  flushMs: number;
  cpuMs: number;
  maxBlockMs: number;
  medianBlockMs: number;
  /** The registry's own close of the interval, before the reporter's work. */
  closeMs: number;
  rounds: number;
  /** Rounds in which V8 ran a major (mark-compact) collection, and its longest pause there. */
  majorGcRounds: number;
  majorGcMs: number;
  /** The worst round among those without a major collection. */
  maxBlockNoMajorGcMs: number;
}

/**
 * Flushes one interval of 100,000 counter series to a line receiver in
 * another process on loopback: how long the flush takes until the receiver has
 * every line, the CPU it costs this process, and the longest time it blocks
 * the event loop from the interval's close (the reporter takes it from the
 * next turn of the loop) to the last line received; the registry's close
 * itself apart. Medians of 5 rounds; the block also as its worst. The
 * setup's own garbage is collected before the first round.
 */
export async function graphiteFlush(): Promise<FlushBench> {
  const file = fileURLToPath(new URL('./graphite-flush-sink.ts', import.meta.url));
  // The receiver stands for carbon on another machine: on its own core (when there are two), so that its reading
  // does not take this process's core away in the middle of a measurement and count as our block.
  const pin = spawnSync('taskset', ['-c', '0', 'true']).status === 0 && availableParallelism() >= 2;
  const sink = pin
    ? spawn('taskset', ['-c', '1', process.execPath, '--import', 'tsx', file], { stdio: ['pipe', 'pipe', 'inherit'] })
    : spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['pipe', 'pipe', 'inherit'] });
  if (pin) spawnSync('taskset', ['-p', '-c', '0', String(process.pid)]);
  const [first] = (await once(sink.stdout!, 'data')) as [Buffer];
  const port = (JSON.parse(first.toString()) as { port: number }).port;
  const count = async (): Promise<number> => {
    sink.stdin!.write('\n');
    const [d] = (await once(sink.stdout!, 'data')) as [Buffer];
    return (JSON.parse(d.toString().trim().split('\n').pop()!) as { lines: number }).lines;
  };
  let now = Math.floor(Date.now() / 10_000) * 10_000;
  const registry = createRegistry({ runtimeMetrics: false, period: 10_000, clock: () => now });
  const reporter = new GraphiteReporter(registry, { port, prefix: 'bench.%node%', log: () => undefined });
  const SERIES = 100_000;
  const flushes: number[] = [];
  const cpus: number[] = [];
  const blocks: number[] = [];
  const closes: number[] = [];
  let lines = 0;
  // Major collections, to tell a round the flush blocked from one where V8 collected the whole heap inside it.
  const majors: { start: number; duration: number }[] = [];
  const gcs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) if ((e as unknown as { detail?: { kind?: number } }).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) majors.push({ start: e.startTime, duration: e.duration });
  });
  gcs.observe({ entryTypes: ['gc'] });
  const roundGc: number[] = [];
  try {
    for (let m = 0; m < 10; m++) {
      const c = registry.counter({ name: `bench_metric_${m}_total`, labelNames: ['id'] });
      for (let i = 0; i < SERIES / 10; i++) c.inc({ id: `series-${i}` }, i);
    }
    // The setup above made 100,000 series in one go, the way no application does: its garbage is collected
    // now (`npm run bench` runs with --expose-gc), so that collecting it does not land in a round and count as
    // the flush's block. What the rounds themselves allocate is still collected inside them, and said below.
    (globalThis as { gc?: () => void }).gc?.();
    reporter.start();
    for (let round = 0; round < 6; round++) {
      now += 10_000;
      const before = await count();
      let received = 0;
      // The registry's close (every column at one instant, not sliced) is measured apart; the reporter
      // takes the interval from the next turn of the loop on, inside the measurement.
      const c0 = performance.now();
      await registry.closeInterval(now);
      closes.push(performance.now() - c0);
      const cpu0 = process.cpuUsage();
      const t0 = performance.now();
      const block = await maxBlock(async () => {
        await reporter.flush();
        // Until the receiver has read every line of the interval.
        while ((received = (await count()) - before) < SERIES) await new Promise((r) => setTimeout(r, 5));
      });
      const cpu = process.cpuUsage(cpu0);
      const t1 = performance.now();
      await new Promise((r) => setImmediate(r)); // the observer's entries of this round arrive
      const major = majors.filter((g) => g.start >= t0 && g.start <= t1).reduce((m, g) => Math.max(m, g.duration), 0);
      if (round === 0) continue; // warm-up
      roundGc.push(major);
      flushes.push(performance.now() - t0);
      cpus.push((cpu.user + cpu.system) / 1000);
      blocks.push(block);
      lines = received;
    }
  } finally {
    gcs.disconnect();
    await reporter.stop(1000);
    registry.close();
    sink.kill();
    if (pin) spawnSync('taskset', ['-p', '-c', `0-${availableParallelism() - 1}`, String(process.pid)]);
  }
  return { series: SERIES, lines, flushMs: median(flushes), cpuMs: median(cpus), maxBlockMs: Math.max(...blocks), medianBlockMs: median(blocks), closeMs: median(closes.slice(1)), rounds: flushes.length,
    majorGcRounds: roundGc.filter((g) => g > 0).length,
    majorGcMs: Math.max(0, ...roundGc),
    maxBlockNoMajorGcMs: Math.max(0, ...blocks.filter((_, i) => roundGc[i] === 0)),
  };
}

/** The same, in a fresh process (see graphite-flush-child.ts), as `npm run bench` runs it. */
export async function graphiteFlushInChild(): Promise<FlushBench> {
  const file = fileURLToPath(new URL('./graphite-flush-child.ts', import.meta.url));
  const { stdout } = await promisify(execFile)(process.execPath, ['--expose-gc', '--import', 'tsx', file], { maxBuffer: 1 << 20 });
  return JSON.parse(stdout.trim().split('\n').pop()!) as FlushBench;
}

export function printFlush(b: FlushBench): void {
  console.log('');
  console.log(`graphite flush of one interval, ${b.series.toLocaleString('en-US')} series (${b.lines.toLocaleString('en-US')} lines incl. the reporter's own) to a loopback receiver, medians of ${b.rounds} rounds:`);
  console.log(`  registry's close      ${b.closeMs.toFixed(1)} ms (one block: every column at one instant; before the reporter's work)`);
  console.log(`  flush until received  ${b.flushMs.toFixed(0)} ms`);
  console.log(`  CPU of this process   ${b.cpuMs.toFixed(0)} ms`);
  console.log(`  longest block         ${b.medianBlockMs.toFixed(1)} ms median, ${b.maxBlockMs.toFixed(1)} ms in the worst round (target <= 10 ms in every round)  ${b.maxBlockMs <= 10 ? 'PASS' : 'BELOW'}`);
  const gc = b.majorGcRounds === 0 ? 'none' : `${b.majorGcRounds} round(s), longest pause ${b.majorGcMs.toFixed(1)} ms; the worst round without one ${b.maxBlockNoMajorGcMs.toFixed(1)} ms`;
  console.log(`  major GC inside       ${gc}`);
}
