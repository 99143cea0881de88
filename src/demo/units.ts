import { type ChildProcess, spawn } from 'node:child_process';
import { Worker } from 'node:worker_threads';

/** Worker threads and a child process, so that the Processes and Applications pages have something to show; the first worker blocks its loop on request. */
export async function startDemoUnits(): Promise<{ close(): Promise<void>; blockWorker(ms: number): string }> {
  const workers = [0, 1].map(
    (n) =>
      new Worker(
        `const { parentPort } = require('node:worker_threads');
         // The demo's /block?ms=&thread=worker: this worker's own deliberate block, in a named function.
         function blockTheWorkerLoop(ms) { const until = Date.now() + ms; let spins = 0; while (Date.now() < until) spins++; return spins; }
         parentPort.on('message', (m) => { if (m && typeof m.block === 'number') blockTheWorkerLoop(m.block); });
         let primes = 0;
         setInterval(() => {
           // A little CPU work every 100 ms: count primes below 20,000.
           primes = 0;
           for (let i = 2; i < 20000; i++) { let p = true; for (let j = 2; j * j <= i; j++) if (i % j === 0) { p = false; break; } if (p) primes++; }
         }, 100);`,
        { eval: true, name: `demo-worker-${n}`, resourceLimits: { maxOldGenerationSizeMb: 64 } },
      ),
  );
  await Promise.all(workers.map((w) => new Promise((resolve) => w.once('online', resolve))));
  for (const w of workers) w.unref();
  // The child leaves by itself once the demo is gone, even if the demo was killed.
  const watchParent = `setInterval(() => { try { process.kill(${process.pid}, 0); } catch { process.exit(0); } }, 1000);`;
  const child: ChildProcess = spawn(process.execPath, ['-e', watchParent, '--', '--role=demo-child'], { stdio: 'ignore' });
  child.unref();
  return {
    /** Blocks the first worker's event loop for `ms` in its `blockTheWorkerLoop()`; returns the worker's name. */
    blockWorker(ms) {
      workers[0]!.postMessage({ block: ms });
      return 'demo-worker-0';
    },
    async close() {
      child.kill();
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}
