import { spawnSync } from 'node:child_process';
import { type Result, median } from './harness.js';
import { PIN, type ServiceMode, measure, measureSideBySide } from './host-impact.js';

type Mode = Extract<ServiceMode, 'bare' | 'traffic' | 'quiet' | 'wobserver' | 'express' | 'express-traffic' | 'express-wobserver' | 'express-prombundle' | 'express-esm'>;
const ALL: readonly Mode[] = ['bare', 'traffic', 'quiet', 'wobserver', 'express', 'express-traffic', 'express-wobserver', 'express-prombundle', 'express-esm'];
// TRAFFIC_CONFIGS=bare,wobserver runs only those (an A/B without the others' order effects).
const CONFIGS = process.env.TRAFFIC_CONFIGS?.split(',');
const listed = (m: ServiceMode): boolean => CONFIGS === undefined || CONFIGS.includes(m);
const MODES: readonly Mode[] = ALL.filter(listed);
const NAMES: Record<Mode, string> = {
  bare: 'node:http bare',
  traffic: 'node:http + traffic tracking',
  quiet: 'wobserver without traffic and logs',
  wobserver: 'wobserver (traffic and logs on)',
  express: 'Express bare',
  'express-traffic': 'Express + traffic tracking',
  'express-wobserver': 'Express + wobserver',
  'express-prombundle': 'Express + express-prom-bundle',
  'express-esm': 'Express + express-status-monitor',
};

/**
 * What the traffic tracking costs the host, measured by wrk as host-impact is
 * (one fresh service per measurement, configurations interleaved in rotating
 * order, each round paired with its own bare): the tracking alone with its
 * metrics (as a preloaded or standalone wobserver has it: no middleware) on
 * node:http and on Express against bare and against express-prom-bundle (which
 * exists to produce these metrics); wobserver mounted with traffic and log
 * capture on and off; on Express, wobserver's middleware against
 * express-prom-bundle and express-status-monitor, all against bare Express.
 * TRAFFIC_ROUNDS (default 7) and HOST_SECONDS (4).
 *
 * Then the ≥ 98 % targets again side by side (see `measureSideBySide`: each
 * service and its bare on one core at the same moment, which cancels the
 * machine's drift the sequential rounds suffer): node:http and Express with
 * the tracking, wobserver mounted with traffic and logs on against off, and a
 * control, Express with two no-op subscribers on the same channels (the floor
 * Node's publishing sets). TRAFFIC_SIDE_ROUNDS (default 7; 0 skips them).
 */
export async function trafficImpact(): Promise<Result[]> {
  if (spawnSync('wrk', ['--version']).error !== undefined) {
    console.warn('traffic-impact: wrk is not installed (apt-get install wrk; npm run bench installs it); skipped');
    return [];
  }
  const rounds = Number(process.env.TRAFFIC_ROUNDS ?? 7);
  const seconds = Number(process.env.HOST_SECONDS ?? 4);
  const rps = Object.fromEntries(MODES.map((m) => [m, [] as number[]])) as Record<Mode, number[]>;
  const cpu = Object.fromEntries(MODES.map((m) => [m, [] as number[]])) as Record<Mode, number[]>;
  // Each round against the same round's bare of its kind (node:http or Express): a slow spell of the machine moves both.
  const paired = Object.fromEntries(MODES.map((m) => [m, [] as number[]])) as Record<Mode, number[]>;
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < MODES.length; i++) {
      const mode = MODES[(i + r) % MODES.length]!;
      const x = await measure(mode, seconds);
      rps[mode].push(x.rps);
      cpu[mode].push(x.cpuUs);
    }
    for (const m of MODES) paired[m].push(rps[m].at(-1)! / (rps[m.startsWith('express') ? 'express' : 'bare'].at(-1) ?? Number.NaN));
  }
  const m = Object.fromEntries(MODES.map((k) => [k, median(rps[k])])) as Record<Mode, number>;
  const c = Object.fromEntries(MODES.map((k) => [k, median(cpu[k])])) as Record<Mode, number>;
  const p = Object.fromEntries(MODES.map((k) => [k, median(paired[k])])) as Record<Mode, number>;
  const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
  const note =
    `medians of ${rounds} rounds of ${seconds} s${PIN ? ', service and wrk pinned to one core each' : ''}: ` +
    MODES.map((k) => `${NAMES[k]} ${m[k].toFixed(0)} req/s, ${c[k].toFixed(2)} µs CPU/request`).join('; ') +
    `; each round against its own bare, median: ${MODES.filter((k) => k !== 'bare' && k !== 'express').map((k) => `${NAMES[k]} ${pct(p[k])}`).join(', ')}`;
  const results: Result[] = [
    { name: 'host throughput, traffic tracking with its metrics (vs bare node:http)', unit: 'ops/s', ours: m.traffic, theirs: m.bare, ratio: m.traffic / m.bare, target: 0.98 },
    { name: 'host throughput, traffic tracking with its metrics (vs bare Express)', unit: 'ops/s', ours: m['express-traffic'], theirs: m.express, ratio: m['express-traffic'] / m.express, target: 0.98 },
    { name: 'host throughput, Express: traffic tracking vs express-prom-bundle', unit: 'ops/s', ours: m['express-traffic'], theirs: m['express-prombundle'], ratio: m['express-traffic'] / m['express-prombundle'], target: 1 },
    { name: 'host throughput, wobserver with traffic and logs on (vs bare node:http)', unit: 'ops/s', ours: m.wobserver, theirs: m.bare, ratio: m.wobserver / m.bare, target: 0.98 },
    { name: 'host throughput, traffic and logs on vs off (wobserver mounted)', unit: 'ops/s', ours: m.wobserver, theirs: m.quiet, ratio: m.wobserver / m.quiet, target: 0.98 },
    { name: 'host throughput, Express + wobserver (vs bare Express)', unit: 'ops/s', ours: m['express-wobserver'], theirs: m.express, ratio: m['express-wobserver'] / m.express, target: 0.98 },
    { name: 'host throughput, Express + wobserver vs + express-prom-bundle', unit: 'ops/s', ours: m['express-wobserver'], theirs: m['express-prombundle'], ratio: m['express-wobserver'] / m['express-prombundle'], target: 1 },
    { name: 'host throughput, Express + wobserver vs + express-status-monitor', unit: 'ops/s', ours: m['express-wobserver'], theirs: m['express-esm'], ratio: m['express-wobserver'] / m['express-esm'], target: 1 },
    // As requests a second (the inverse of CPU per request), so that a ratio above 1 is better here too.
    { name: 'host CPU per request, traffic tracking with its metrics (vs bare node:http)', unit: 'ops/s', ours: 1e6 / c.traffic, theirs: 1e6 / c.bare, ratio: c.bare / c.traffic, target: 0.98 },
    { name: 'host CPU per request, traffic and logs on vs off (wobserver mounted)', unit: 'ops/s', ours: 1e6 / c.wobserver, theirs: 1e6 / c.quiet, ratio: c.quiet / c.wobserver, target: 0.98 },
  ];
  // The sequential rounds' note on their first result (before the side-by-side ones are added).
  const first = results.findIndex((r) => Number.isFinite(r.ratio));
  if (first >= 0) results[first] = { ...results[first]!, note };
  const sideRounds = Number(process.env.TRAFFIC_SIDE_ROUNDS ?? 7);
  // [bare, service, label]: each service against its bare.
  const pairs: [Mode, Mode | 'express-channels', string][] = [
    ['bare', 'traffic', 'node:http, traffic tracking with its metrics vs bare'],
    ['express', 'express-traffic', 'Express, traffic tracking with its metrics vs bare'],
    ['quiet', 'wobserver', 'wobserver mounted, traffic and logs on vs off'],
    ['express', 'express-channels', 'Express, two no-op channel subscribers vs bare (control)'],
  ];
  for (const [a, b, label] of pairs) {
    if (sideRounds <= 0 || !listed(a) || !listed(b)) continue;
    const cpuR: number[] = [];
    const rpsR: number[] = [];
    const us: number[] = [];
    const aUs: number[] = [];
    const bUs: number[] = [];
    for (let r = 0; r < sideRounds; r++) {
      const x = await measureSideBySide(a, b, seconds);
      cpuR.push(x.cpuRatio);
      rpsR.push(x.rpsRatio);
      us.push(x.bCpuUs - x.aCpuUs);
      aUs.push(x.aCpuUs);
      bUs.push(x.bCpuUs);
    }
    const cr = median(cpuR);
    results.push({
      name: `side by side on one core: ${label}`,
      unit: 'ops/s',
      // As requests a second of CPU (the inverse of CPU per request), so that a ratio above 1 is better here too.
      ours: 1e6 / median(bUs),
      theirs: 1e6 / median(aUs),
      ratio: cr,
      // The control has no target: it shows the floor.
      target: b === 'express-channels' ? 0 : 0.98,
      note: `side by side, ${sideRounds} rounds of ${seconds} s: median CPU-per-request ratio ${pct(cr)} (rounds ${pct(Math.min(...cpuR))}–${pct(Math.max(...cpuR))}), requests served ratio ${pct(median(rpsR))}, +${median(us).toFixed(2)} µs CPU a request`,
    });
  }
  return results.filter((r) => Number.isFinite(r.ratio));
}
