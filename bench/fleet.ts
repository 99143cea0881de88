import { type FleetNode, ports, startNode, stopAll } from '../test/helpers/fleet.js';
import { median } from './harness.js';

export interface FleetBench {
  nodes: number;
  oneNodeMs: number;
  aggregatedMs: number;
  directMs: number;
  proxiedMs: number;
  rounds: number;
}

async function timed(url: string, init?: RequestInit): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(url, init);
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return performance.now() - t0;
}

/**
 * Ten wobserver nodes, each its own process on loopback: the time of an
 * aggregated `/metrics` over all ten against a scrape of one node, and the
 * latency a proxied API call adds over asking the node directly. Medians,
 * rounds interleaved.
 */
export async function fleet(): Promise<FleetBench> {
  const n = 10;
  const list = await ports(n);
  const addresses = list.map((p) => `127.0.0.1:${p}`);
  const nodes: FleetNode[] = [];
  try {
    for (let i = 0; i < n; i++) nodes.push(await startNode({ name: `bench-${i}`, port: list[i]!, secret: 'the-benchmark-fleet-shared-secret', static: addresses }));
    const [a, b] = nodes as [FleetNode, FleetNode];
    // Until every node is up in A's directory.
    for (;;) {
      const r = (await (await fetch(`${a.url}/api/nodes`)).json()) as { state: string }[];
      if (r.length === n && r.every((x) => x.state === 'up')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const one: number[] = [];
    const agg: number[] = [];
    const direct: number[] = [];
    const proxied: number[] = [];
    for (let round = 0; round < 25; round++) {
      const warm = round < 5;
      const o = await timed(`${a.url}/metrics`);
      const g = await timed(`${a.url}/metrics?nodes=all`);
      const d = await timed(`${b.url}/api/about`);
      const p = await timed(`${a.url}/api/bench-1/about`);
      if (warm) continue;
      one.push(o);
      agg.push(g);
      direct.push(d);
      proxied.push(p);
    }
    return { nodes: n, oneNodeMs: median(one), aggregatedMs: median(agg), directMs: median(direct), proxiedMs: median(proxied), rounds: one.length };
  } finally {
    await stopAll(nodes);
  }
}

export function printFleet(b: FleetBench): void {
  console.log('');
  console.log(`fleet of ${b.nodes} nodes, each its own process on loopback, medians of ${b.rounds} interleaved rounds:`);
  console.log(`  /metrics of one node           ${b.oneNodeMs.toFixed(1)} ms`);
  console.log(`  /metrics?nodes=all, ${b.nodes} nodes   ${b.aggregatedMs.toFixed(1)} ms  (${(b.aggregatedMs / b.oneNodeMs).toFixed(1)}x one node)`);
  console.log(`  /api/about, directly           ${b.directMs.toFixed(2)} ms`);
  console.log(`  /api/<node>/about, proxied     ${b.proxiedMs.toFixed(2)} ms  (+${(b.proxiedMs - b.directMs).toFixed(2)} ms)`);
}
