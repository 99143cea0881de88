// A cluster worker for the discovery conformance suite: runs the wobserver agent
// under the name in NODE_NAME, or with LIAR=1 says hello and then answers every
// request with an about that has no node name of its own (a worker that lies).
import cluster from 'node:cluster';
import { startClusterAgent } from '../../src/server/index.js';

if (process.env.LIAR === '1') {
  const id = cluster.worker?.id ?? 0;
  process.on('message', (m: { __wobserver?: string; id?: string }) => {
    if (m.__wobserver === 'req') process.send?.({ __wobserver: 'res', id: m.id, ok: true, data: { name: 'wobserver', node: 42 } });
  });
  process.send?.({ __wobserver: 'hello', name: `ipc:${id}` });
} else {
  startClusterAgent({ nodeName: process.env.NODE_NAME });
}
// The primary ends it; nothing else keeps it alive.
setInterval(() => undefined, 60_000);
