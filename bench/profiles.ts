import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import { createObserver } from '../src/runtime/index.js';
import { type Result, compareTime } from './harness.js';

const WORKERS = 4;
const READS = 200;

/**
 * What the Diagnostics page costs per read now that it lists threads: the
 * NodeWorker attach-and-detach of `threads()` with 4 idle workers, beside the
 * Processes page's read of the same process (its anchor in this run); and a
 * worker thread's CPU profile (start, 50 ms, stop) beside the main thread's.
 */
export async function profiles(): Promise<Result[]> {
  const workers = Array.from({ length: WORKERS }, (_, i) => new Worker('setInterval(() => undefined, 1000)', { eval: true, name: `bench-${i}` }));
  await Promise.all(workers.map((w) => once(w, 'online')));
  const observer = createObserver();
  const d = observer.diagnostics;
  const profile = async (thread: number): Promise<void> => {
    await d.startCpuProfile({ thread });
    await new Promise((r) => setTimeout(r, 50));
    await d.stop('cpu-profile');
  };
  try {
    return [
      await compareTime({
        name: `${READS} thread lists (${WORKERS} workers) vs ${READS} Processes reads`,
        target: 0.2,
        ours: async () => {
          for (let i = 0; i < READS; i++) await d.threads();
        },
        theirs: () => {
          for (let i = 0; i < READS; i++) observer.processes();
        },
        note: 'per read: ours/200; the page reads once a second',
      }),
      await compareTime({
        name: 'worker thread CPU profile (50 ms) vs main thread',
        target: 0.8,
        ours: () => profile(workers[0]!.threadId),
        theirs: () => profile(0),
        note: 'start + 50 ms + stop, round trips through NodeWorker included',
      }),
    ];
  } finally {
    observer.close();
    await Promise.all(workers.map((w) => w.terminate()));
  }
}
