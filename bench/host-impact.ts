import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { type Result, median } from './harness.js';

type Config = 'bare' | 'wobserver' | 'watched' | 'esm' | 'watchdog' | 'debugger';
/** Every service host-impact-child.ts can be, and `watched` (wobserver with a viewer). */
export type ServiceMode = Config | 'quiet' | 'traffic' | 'express' | 'express-traffic' | 'express-channels' | 'express-wobserver' | 'express-prombundle' | 'express-esm';

/** With two or more cores, the service and wrk each get their own (less scheduler noise). */
export const PIN = spawnSync('taskset', ['-c', '0', 'true']).status === 0 && (await import('node:os')).availableParallelism() >= 2;
const pinned = (core: number, cmd: string, args: string[]): [string, string[]] => (PIN ? ['taskset', ['-c', String(core), cmd, ...args]] : [cmd, args]);

async function startService(mode: Exclude<ServiceMode, 'watched'>): Promise<{ child: ChildProcess; port: number }> {
  const file = fileURLToPath(new URL('./host-impact-child.ts', import.meta.url));
  const [cmd, args] = pinned(0, process.execPath, ['--import', 'tsx', file, mode]);
  const child = spawn(cmd, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  const [line] = (await Promise.race([
    once(child.stdout!, 'data'),
    once(child, 'exit').then(() => {
      throw new Error(`service ${mode} exited`);
    }),
  ])) as [Buffer];
  return { child, port: (JSON.parse(line.toString()) as { port: number }).port };
}

/** Requests per second wrk reaches against the service in `seconds`, and how many it completed. */
async function wrk(port: number, seconds: number): Promise<{ rps: number; requests: number }> {
  const [cmd, args] = pinned(1, 'wrk', ['-t1', '-c16', `-d${seconds}s`, `http://127.0.0.1:${port}/`]);
  // Asynchronous, so that this process can still ask the service for its CPU around the run.
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  await once(child, 'close');
  const m = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const n = /(\d+) requests in/.exec(out);
  if (m === null || n === null) throw new Error(`wrk failed: ${err || out}`);
  return { rps: Number(m[1]), requests: Number(n[1]) };
}

interface CpuSoFar {
  /** µs, every thread. */
  cpuUs: number;
  /** The scheduler's split (Linux): the main thread, and every other thread of the process. */
  threads: { mainUs: number; otherUs: number } | null;
}

/** The CPU the service has used so far, as it reports it. */
async function cpuOf(child: ChildProcess): Promise<CpuSoFar> {
  child.stdin!.write('\n');
  const [d] = (await once(child.stdout!, 'data')) as [Buffer];
  return JSON.parse(d.toString().trim().split('\n').pop()!) as CpuSoFar;
}

/** A browser-equivalent viewer: the WebSocket, load charts at 1 s and the process list at 4 s. */
async function watch(port: number): Promise<WebSocket> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/wobserver/ws`);
  await once(ws, 'open');
  let messages = 0;
  ws.on('message', () => messages++);
  ws.send(JSON.stringify({ id: 'load', subscribe: 'load', every: 1000 }));
  ws.send(JSON.stringify({ id: 'procs', subscribe: 'processes', every: 4000 }));
  await new Promise((r) => setTimeout(r, 300));
  if (messages === 0) throw new Error('the viewer got nothing');
  return ws;
}

/** Requests a second, the service's CPU per request served (µs), and its main thread's; its other threads' CPU as a share of a core. */
export async function measure(config: ServiceMode, seconds: number): Promise<{ rps: number; cpuUs: number; mainUs: number; otherShare: number }> {
  const { child, port } = await startService(config === 'watched' ? 'wobserver' : config);
  let viewer: WebSocket | undefined;
  try {
    if (config === 'watched') viewer = await watch(port);
    await wrk(port, 1); // warm-up: JIT, connections
    const cpu0 = await cpuOf(child);
    const w = await wrk(port, seconds);
    const cpu1 = await cpuOf(child);
    const t0 = cpu0.threads;
    const t1 = cpu1.threads;
    return {
      rps: w.rps,
      cpuUs: (cpu1.cpuUs - cpu0.cpuUs) / w.requests,
      mainUs: t0 && t1 ? (t1.mainUs - t0.mainUs) / w.requests : Number.NaN,
      otherShare: t0 && t1 ? (t1.otherUs - t0.otherUs) / (seconds * 1e6) : Number.NaN,
    };
  } finally {
    viewer?.terminate();
    child.kill();
    await once(child, 'exit');
  }
}

/**
 * Two services measured at the same moment on the same core (each its own wrk
 * on the other core): CPU per request of each over the same seconds, and what
 * each served. Sharing one core, each gets half of it, so the ratio of their
 * throughputs is the inverse ratio of their CPU per request, and a slow spell
 * of the machine (a stolen vCPU, another tenant) moves both alike: on the
 * 2-core VM an A/A pair reads within 2–5 % a round where sequential rounds
 * move 10–15 %.
 */
export async function measureSideBySide(
  a: Exclude<ServiceMode, 'watched'>,
  b: Exclude<ServiceMode, 'watched'>,
  seconds: number,
): Promise<{ cpuRatio: number; rpsRatio: number; aCpuUs: number; bCpuUs: number }> {
  const sa = await startService(a);
  let sb: { child: ChildProcess; port: number } | undefined;
  try {
    sb = await startService(b);
    // Warm-up (HOST_WARMUP_SECONDS, default 5): the JIT's tiers and its compiler threads, whose CPU counts too,
    // settle (with 1 s, the tracking's 2 s rounds read 4-6 points lower than after 10 s).
    const warm = Number(process.env.HOST_WARMUP_SECONDS ?? 5);
    await Promise.all([wrk(sa.port, warm), wrk(sb.port, warm)]);
    const [a0, b0] = await Promise.all([cpuOf(sa.child), cpuOf(sb.child)]);
    const [wa, wb] = await Promise.all([wrk(sa.port, seconds), wrk(sb.port, seconds)]);
    const [a1, b1] = await Promise.all([cpuOf(sa.child), cpuOf(sb.child)]);
    const aCpuUs = (a1.cpuUs - a0.cpuUs) / wa.requests;
    const bCpuUs = (b1.cpuUs - b0.cpuUs) / wb.requests;
    return { cpuRatio: aCpuUs / bCpuUs, rpsRatio: wb.requests / wa.requests, aCpuUs, bCpuUs };
  } finally {
    for (const s of [sa, sb]) {
      if (s === undefined) continue;
      s.child.kill();
      await once(s.child, 'exit');
    }
  }
}

/**
 * The host's request throughput, measured by wrk from Debian's packages against a
 * small node:http service on loopback: bare, with wobserver mounted and nobody
 * watching, with one viewer subscribed (load at 1 s, processes at 4 s), with
 * express-status-monitor mounted, and with the event-loop watchdog alone (and with
 * Debugger kept enabled beside it, the choice the watchdog does not make). Each measurement is a fresh process; configs
 * interleave in rotating order; medians over the rounds.
 */
export async function hostImpact(): Promise<Result[]> {
  if (spawnSync('wrk', ['--version']).error !== undefined) {
    console.warn('host-impact: wrk is not installed (apt-get install wrk; npm run bench installs it); skipped');
    return [];
  }
  const rounds = Number(process.env.HOST_ROUNDS ?? 9);
  const seconds = Number(process.env.HOST_SECONDS ?? 4);
  // HOST_CONFIGS=bare,watchdog runs only those (an A/B without the others' order effects).
  const all: Config[] = ['bare', 'wobserver', 'watched', 'esm', 'watchdog', 'debugger'];
  const configs = process.env.HOST_CONFIGS ? all.filter((c) => process.env.HOST_CONFIGS!.split(',').includes(c)) : all;
  const rps: Record<Config, number[]> = { bare: [], wobserver: [], watched: [], esm: [], watchdog: [], debugger: [] };
  const cpu: Record<Config, number[]> = { bare: [], wobserver: [], watched: [], esm: [], watchdog: [], debugger: [] };
  const main: Record<Config, number[]> = { bare: [], wobserver: [], watched: [], esm: [], watchdog: [], debugger: [] };
  const other: Record<Config, number[]> = { bare: [], wobserver: [], watched: [], esm: [], watchdog: [], debugger: [] };
  // Each round's configuration against the same round's bare: a slow spell of the machine moves both.
  const paired: Record<Config, number[]> = { bare: [], wobserver: [], watched: [], esm: [], watchdog: [], debugger: [] };
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < configs.length; i++) {
      const config = configs[(i + r) % configs.length]!;
      const x = await measure(config, seconds);
      rps[config].push(x.rps);
      cpu[config].push(x.cpuUs);
      main[config].push(x.mainUs);
      other[config].push(x.otherShare);
    }
    if (configs.includes('bare')) for (const k of configs) paired[k].push(rps[k].at(-1)! / rps.bare.at(-1)!);
  }
  const med = (xs: Record<Config, number[]>): Record<Config, number> => Object.fromEntries(all.map((c) => [c, median(xs[c])])) as Record<Config, number>;
  const m = med(rps);
  const c = med(cpu);
  const names: Record<Config, string> = { bare: 'bare', wobserver: 'wobserver idle', watched: 'watched', esm: 'express-status-monitor', watchdog: 'the event-loop watchdog alone', debugger: 'the watchdog with Debugger kept enabled' };
  // Each configuration run against bare, its median and its rounds' range: the range is this machine's noise.
  const spread = (x: Record<Config, number>, xs: Record<Config, number[]>, digits: number): string =>
    configs.filter((k) => k !== 'bare').map((k) => `${names[k]} ${((x[k] / x.bare) * 100).toFixed(1)}% (rounds ${Math.min(...xs[k]).toFixed(digits)}–${Math.max(...xs[k]).toFixed(digits)})`).join(', ');
  const note = `medians of ${rounds} rounds of ${seconds} s${PIN ? ', service and wrk pinned to one core each' : ''}: bare ${m.bare.toFixed(0)} req/s (rounds ${Math.min(...rps.bare).toFixed(0)}–${Math.max(...rps.bare).toFixed(0)}); ${spread(m, rps, 0)} of bare`;
  // CPU per request as the service counts it: time the hypervisor stole from the vCPU is not in it.
  const mm = med(main);
  const oo = med(other);
  const threadNote = Number.isNaN(mm.bare)
    ? ''
    : `; its main thread's CPU per request ${configs.map((k) => `${names[k]} ${mm[k].toFixed(2)} µs`).join(', ')}; its other threads (V8's, the watchdog's, …) ${configs.map((k) => `${names[k]} ${(oo[k] * 100).toFixed(2)} %`).join(', ')} of a core`;
  const pairNote = configs.includes('bare') ? `; each round against its own bare, median: ${configs.filter((k) => k !== 'bare').map((k) => `${names[k]} ${(median(paired[k]) * 100).toFixed(1)}%`).join(', ')}` : '';
  const cpuNote = `the service's CPU per request (every thread), medians: bare ${c.bare.toFixed(2)} µs (rounds ${Math.min(...cpu.bare).toFixed(2)}–${Math.max(...cpu.bare).toFixed(2)}); ${spread(c, cpu, 2)} of bare${threadNote}${pairNote}`;
  const results: Result[] = [
    { name: 'host throughput, wobserver mounted, nobody watching (vs bare)', unit: 'ops/s', ours: m.wobserver, theirs: m.bare, ratio: m.wobserver / m.bare, target: 0.99, note },
    { name: 'host throughput, one viewer: load 1 s + processes 4 s (vs bare)', unit: 'ops/s', ours: m.watched, theirs: m.bare, ratio: m.watched / m.bare, target: 0.97 },
    { name: 'host throughput, wobserver vs express-status-monitor mounted', unit: 'ops/s', ours: m.wobserver, theirs: m.esm, ratio: m.wobserver / m.esm, target: 1 },
    { name: 'host throughput, event-loop watchdog alone (vs bare)', unit: 'ops/s', ours: m.watchdog, theirs: m.bare, ratio: m.watchdog / m.bare, target: 0.99 },
    // As requests a second (the inverse of CPU per request), so that a ratio above 1 is better here too.
    { name: 'host CPU per request, wobserver mounted, nobody watching (vs bare)', unit: 'ops/s', ours: 1e6 / c.wobserver, theirs: 1e6 / c.bare, ratio: c.bare / c.wobserver, target: 0.99, note: cpuNote },
    { name: 'host CPU per request, event-loop watchdog alone (vs bare)', unit: 'ops/s', ours: 1e6 / c.watchdog, theirs: 1e6 / c.bare, ratio: c.bare / c.watchdog, target: 0.99 },
  ];
  const kept = results.filter((r) => Number.isFinite(r.ratio));
  for (const n of [note, cpuNote]) if (!kept.some((r) => r.note === n) && kept[0] !== undefined) kept[0] = { ...kept[0], note: `${kept[0].note ?? ''}${kept[0].note ? '; ' : ''}${n}` };
  return kept;
}
