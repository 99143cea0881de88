import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { type Result, median } from './harness.js';

type Config = 'bare' | 'wobserver' | 'watched' | 'esm' | 'watchdog' | 'debugger';

/** With two or more cores, the service and wrk each get their own (less scheduler noise). */
const PIN = spawnSync('taskset', ['-c', '0', 'true']).status === 0 && (await import('node:os')).availableParallelism() >= 2;
const pinned = (core: number, cmd: string, args: string[]): [string, string[]] => (PIN ? ['taskset', ['-c', String(core), cmd, ...args]] : [cmd, args]);

async function startService(mode: Exclude<Config, 'watched'>): Promise<{ child: ChildProcess; port: number }> {
  const file = fileURLToPath(new URL('./host-impact-child.ts', import.meta.url));
  const [cmd, args] = pinned(0, process.execPath, ['--import', 'tsx', file, mode]);
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await Promise.race([
    once(child.stdout!, 'data'),
    once(child, 'exit').then(() => {
      throw new Error(`service ${mode} exited`);
    }),
  ])) as [Buffer];
  return { child, port: (JSON.parse(line.toString()) as { port: number }).port };
}

/** Requests per second wrk reaches against the service in `seconds`. */
function wrk(port: number, seconds: number): number {
  const [cmd, args] = pinned(1, 'wrk', ['-t1', '-c16', `-d${seconds}s`, `http://127.0.0.1:${port}/`]);
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  const m = /Requests\/sec:\s+([\d.]+)/.exec(r.stdout);
  if (m === null) throw new Error(`wrk failed: ${r.stderr || r.stdout}`);
  return Number(m[1]);
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

async function measure(config: Config, seconds: number): Promise<number> {
  const { child, port } = await startService(config === 'watched' ? 'wobserver' : config);
  let viewer: WebSocket | undefined;
  try {
    if (config === 'watched') viewer = await watch(port);
    wrk(port, 1); // warm-up: JIT, connections
    return wrk(port, seconds);
  } finally {
    viewer?.terminate();
    child.kill();
    await once(child, 'exit');
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
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < configs.length; i++) {
      const config = configs[(i + r) % configs.length]!;
      rps[config].push(await measure(config, seconds));
    }
  }
  const m = { bare: median(rps.bare), wobserver: median(rps.wobserver), watched: median(rps.watched), esm: median(rps.esm), watchdog: median(rps.watchdog), debugger: median(rps.debugger) };
  const pct = (x: number): string => `${((x / m.bare) * 100).toFixed(1)}%`;
  const note = `medians of ${rounds} rounds of ${seconds} s${PIN ? ', service and wrk pinned to one core each' : ''}: bare ${m.bare.toFixed(0)} req/s; wobserver idle ${pct(m.wobserver)}, watched ${pct(m.watched)}, express-status-monitor ${pct(m.esm)}, the event-loop watchdog alone ${pct(m.watchdog)} (with Debugger kept enabled ${pct(m.debugger)}) of bare`;
  const results: Result[] = [
    { name: 'host throughput, wobserver mounted, nobody watching (vs bare)', unit: 'ops/s', ours: m.wobserver, theirs: m.bare, ratio: m.wobserver / m.bare, target: 0.99, note },
    { name: 'host throughput, one viewer: load 1 s + processes 4 s (vs bare)', unit: 'ops/s', ours: m.watched, theirs: m.bare, ratio: m.watched / m.bare, target: 0.97 },
    { name: 'host throughput, wobserver vs express-status-monitor mounted', unit: 'ops/s', ours: m.wobserver, theirs: m.esm, ratio: m.wobserver / m.esm, target: 1 },
    { name: 'host throughput, event-loop watchdog alone (vs bare)', unit: 'ops/s', ours: m.watchdog, theirs: m.bare, ratio: m.watchdog / m.bare, target: 0.99 },
  ];
  const kept = results.filter((r) => Number.isFinite(r.ratio));
  if (kept[0] !== undefined && kept[0].note === undefined) kept[0] = { ...kept[0], note };
  return kept;
}
