// The observer's pages under load: 10,000 open sockets, 1,000 timers, 16 worker
// threads and a 1,000,000-entry table. Reports each page function's median time
// (it runs synchronously, so that is how long it blocks the event loop) and what
// the load sampler costs per second with one subscriber.
import { connect, createServer, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import { createObserver } from '../src/runtime/index.js';
import { maxBlock, median } from './harness.js';

export interface PageTiming {
  page: string;
  medianMs: number;
  maxMs: number;
}

export interface RuntimeBench {
  timings: PageTiming[];
  samplerCpuPercent: number;
  setup: string;
}

/** For a function that yields: the longest event-loop block while it runs, and its total time. */
async function blocking(page: string, fn: () => Promise<unknown>, runs = 3): Promise<PageTiming> {
  const xs: number[] = [];
  const totals: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    xs.push(await maxBlock(async () => {
      await fn();
      totals.push(performance.now() - t);
    }));
  }
  return { page: `${page} [longest block; total ${median(totals).toFixed(0)} ms]`, medianMs: median(xs), maxMs: Math.max(...xs) };
}

async function time(page: string, fn: () => unknown, runs = 5): Promise<PageTiming> {
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    xs.push(performance.now() - t);
    await sleep(5);
  }
  return { page, medianMs: median(xs), maxMs: Math.max(...xs) };
}

export async function runtimePages(): Promise<RuntimeBench> {
  const observer = createObserver();
  const server = createServer((s) => s.on('error', () => undefined));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const clients: Socket[] = [];
  const timers: NodeJS.Timeout[] = [];
  const workers: Worker[] = [];
  try {
    for (let batch = 0; batch < 50; batch++) {
      await Promise.all(
        Array.from({ length: 100 }, () => new Promise<void>((resolve, reject) => {
          const c = connect(port, '127.0.0.1', () => resolve());
          c.on('error', reject);
          clients.push(c);
        })),
      );
    }
    for (let i = 0; i < 1000; i++) timers.push(setInterval(() => undefined, 60_000 + i));
    for (let i = 0; i < 16; i++) workers.push(new Worker('setInterval(() => {}, 1000)', { eval: true }));
    await Promise.all(workers.map((w) => new Promise((r) => w.once('online', r))));
    const big = new Map<string, { id: number; name: string }>();
    for (let i = 0; i < 1_000_000; i++) big.set(`key:${i}`, { id: i, name: `entry ${i}` });
    observer.tables.register('big', big);
    observer.pages.register({ title: 'Stats', command: 'stats', callback: () => ({ sockets: clients.length, timers: timers.length }) });

    const timings = [
      await time('system', () => observer.system()),
      await time('memory', () => observer.memory()),
      await time('applications (first read)', () => observer.applications({ refresh: true }), 1),
      await time('applications (cached)', () => observer.applications()),
      await time('processes', () => observer.processes()),
      await time('ports', () => observer.ports()),
      await time('tables list', () => observer.tables.list()),
      await time('table page 0 of 1M', () => observer.tables.page('big', { pageSize: 50 })),
      await blocking('table page, sorted desc, of 1M', () => observer.tables.page('big', { sort: 'key', order: 'desc', pageSize: 50 })),
      await blocking('table search in 1M', () => observer.tables.page('big', { search: 'key:99999', pageSize: 50 })),
      await time('custom page', () => observer.pages.run('stats')),
      await time('load columns (300 samples)', () => observer.load.columns()),
    ];

    // The sampler's cost: the time its samples take over the time it runs (it measures itself).
    const off = observer.load.subscribe();
    await sleep(10_000);
    off();
    const cost = observer.load.cost();
    return {
      timings,
      samplerCpuPercent: cost.percentOfCore,
      setup: `${clients.length * 2} open TCP sockets, ${timers.length} timers, ${workers.length} workers, a 1,000,000-entry Map`,
    };
  } finally {
    for (const t of timers) clearInterval(t);
    for (const c of clients) c.destroy();
    await Promise.all(workers.map((w) => w.terminate()));
    server.close();
    observer.close();
  }
}

export function printRuntime(r: RuntimeBench): void {
  console.log(`\nobserver pages with ${r.setup}:`);
  const w = Math.max(...r.timings.map((t) => t.page.length));
  console.log(`${'page'.padEnd(w)}  median ms  max ms  (aim: <= 20 ms)`);
  for (const t of r.timings) console.log(`${t.page.padEnd(w)}  ${t.medianMs.toFixed(2).padStart(9)}  ${t.maxMs.toFixed(2).padStart(6)}  ${t.maxMs <= 20 ? 'ok' : 'OVER'}`);
  console.log(`load sampler, one subscriber: ${r.samplerCpuPercent.toFixed(3)}% of a core (aim: < 0.5%)`);
}
