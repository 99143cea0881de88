import { FleetFanout, NodeDirectory, customDiscovery } from '../src/nodes/index.js';
import { SelfSummary } from '../src/runtime/index.js';
import { type FleetNode, startMembers, stopAll } from '../test/helpers/fleet.js';
import { median } from './harness.js';

export interface FleetPageBench {
  /** Per fleet size: the fan-out's median time, and one node asked alone (the anchor, in the same run). */
  sizes: { nodes: number; fanoutMs: number; oneNodeMs: number; slowestAnswerMs: number; rounds: number }[];
}

const SECRET = 'the-fleet-page-benchmark-secret';

/** Fan-outs over the first `n` members, each a new one (the cache's clock moves a period between reads). */
async function measure(members: FleetNode[], n: number, rounds: number): Promise<FleetPageBench['sizes'][number]> {
  const addresses = members.slice(0, n - 1).map((m) => new URL(m.url).host);
  const self = new SelfSummary();
  let clock = 0;
  const directory = new NodeDirectory({ discovery: customDiscovery(() => addresses), localName: 'bench', localPrefix: '', secret: SECRET, timeoutMs: 5000, ttlMs: 3_600_000 });
  const fanout = new FleetFanout({ directory, local: () => self.read('bench', 0), now: () => (clock += 10_000) });
  const alone = new FleetFanout({ directory: new NodeDirectory({ discovery: customDiscovery(() => addresses.slice(0, 1)), localName: 'bench', localPrefix: '', secret: SECRET, timeoutMs: 5000, ttlMs: 3_600_000 }), local: () => self.read('bench', 0), now: () => (clock += 10_000) });
  const took: number[] = [];
  const one: number[] = [];
  const slowest: number[] = [];
  try {
    for (let r = 0; r < rounds + 3; r++) {
      const f = await fanout.read();
      const a = await alone.read();
      if (f.nodes.some((x) => x.state !== 'up') || a.nodes.some((x) => x.state !== 'up')) throw new Error(`a node is not up: ${JSON.stringify(f.nodes.filter((x) => x.state !== 'up')).slice(0, 300)}`);
      if (r < 3) continue;
      took.push(f.tookMs);
      one.push(a.tookMs);
      slowest.push(Math.max(...f.nodes.map((x) => x.answerMs ?? 0)));
      // As the page would: a fan-out a period, not back to back.
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  } finally {
    self.close();
  }
  return { nodes: n, fanoutMs: median(took), oneNodeMs: median(one), slowestAnswerMs: median(slowest), rounds };
}

/**
 * The Fleet page's fan-out over 10 and 50 nodes (this process plus light node
 * processes on loopback): its median time, against one other node asked
 * alone in the same run.
 */
export async function fleetPage(): Promise<FleetPageBench> {
  let members: FleetNode[] = [];
  try {
    members = await startMembers(49, { prefix: 'bench', secret: SECRET });
    const sizes = [];
    for (const n of [10, 50]) sizes.push(await measure(members, n, 15));
    return { sizes };
  } finally {
    await stopAll(members);
  }
}

export function printFleetPage(b: FleetPageBench): void {
  console.log('');
  console.log('fleet page fan-out (each node its own process on loopback, this one answering locally), medians:');
  for (const s of b.sizes) {
    console.log(`  ${String(s.nodes).padStart(2)} nodes  ${s.fanoutMs.toFixed(1)} ms  (${(s.fanoutMs / s.oneNodeMs).toFixed(1)}x one other node alone, ${s.oneNodeMs.toFixed(1)} ms; slowest answer ${s.slowestAnswerMs.toFixed(1)} ms), ${s.rounds} rounds`);
  }
}
