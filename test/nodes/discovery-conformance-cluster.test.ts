// The discovery conformance suite (discovery-suite.ts) for cluster discovery: this test
// process is a cluster primary, and its nodes are worker processes it forks, b and c
// running the wobserver agent and one that lies, all reached over the cluster's IPC
// channel. A worker that exits is no node any more ('gone'), where an HTTP node that
// stops answering stays listed down.
import cluster, { type Worker } from 'node:cluster';
import { fileURLToPath } from 'node:url';
import { clusterDiscovery } from '../../src/nodes/index.js';
import { until } from '../helpers/until.js';
import { type Fleet, discoveryConformance } from './discovery-suite.js';

cluster.setupPrimary({ exec: fileURLToPath(new URL('../helpers/cluster-node.ts', import.meta.url)), execArgv: ['--import', 'tsx'] });
const discovery = clusterDiscovery();

async function fork(env: Record<string, string>): Promise<Worker> {
  const w = cluster.fork(env);
  await new Promise<void>((resolve, reject) => {
    w.once('message', () => resolve());
    w.once('exit', (code) => reject(new Error(`worker exited (${code}) before its hello`)));
  });
  return w;
}

async function stop(w: Worker): Promise<void> {
  if (w.isDead()) return;
  const exited = new Promise((resolve) => w.once('exit', resolve));
  w.kill();
  await exited;
}

async function workerFleet(): Promise<Fleet> {
  const [b, c, liar] = await Promise.all([fork({ NODE_NAME: 'b' }), fork({ NODE_NAME: 'c' }), fork({ LIAR: '1' })]);
  // The hello is handled by the link's own listener too; wait until the three are agents.
  await until(() => discovery.discover(), (found) => found.length >= 3, 'three workers said hello');
  return {
    others: [`ipc:${b.id}`, `ipc:${c.id}`],
    liar: `ipc:${liar.id}`,
    stopC: () => stop(c),
    close: async () => {
      await Promise.all([b, c, liar].map(stop));
    },
  };
}

discoveryConformance('cluster (worker processes over IPC)', {
  listsOthers: true,
  stopped: 'gone',
  fleet: workerFleet,
  // Every fleet forks all three; the source shows the method only the ones the case names.
  source: async (others) => ({
    discovery: { kind: 'cluster', discover: async () => (await discovery.discover()).filter((a) => others.includes(`ipc:${a.port}`)) },
    close: () => undefined,
  }),
});
