// A cluster of the test's own: the primary runs wobserver with cluster discovery,
// two workers serve an app on one shared port and run the agent; a worker that
// dies is replaced. Prints the primary's wobserver URL and the workers' pids.
import cluster from 'node:cluster';
import { createServer } from 'node:http';
import { start, startClusterAgent } from '../../src/server/index.js';
import { go, startHotWorker } from './hot-worker.js';

if (cluster.isPrimary) {
  const fork = (): void => {
    const w = cluster.fork();
    w.on('message', (m: { __wobserver?: string }) => {
      if (m.__wobserver === 'hello') console.log(JSON.stringify({ worker: w.id, pid: w.process.pid }));
    });
  };
  cluster.on('exit', () => fork());
  fork();
  fork();
  const s = await start({ port: 0, nodeName: 'primary', nodes: { discovery: 'cluster', ttlMs: 200 } });
  console.log(JSON.stringify({ url: s.url }));
  process.on('SIGTERM', () => {
    cluster.removeAllListeners('exit');
    for (const w of Object.values(cluster.workers ?? {})) w?.kill();
    void s.close().then(() => process.exit(0));
  });
} else {
  const agent = startClusterAgent({ diagnostics: true });
  agent.wobserver.observer.tables.register('worker-info', new Map([['name', agent.name]]));
  if (process.env.HOT_THREAD === '1') {
    const hot = await startHotWorker('hot-worker');
    hot.unref();
    agent.wobserver.observer.pages.register({ title: 'Go', command: 'go', callback: () => (go(hot), { threadId: hot.threadId }) });
  }
  createServer((_req, res) => res.end(`hello from ${agent.name}`)).listen(Number(process.env.APP_PORT ?? 0));
}
