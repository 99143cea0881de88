import { once } from 'node:events';
import { Worker } from 'node:worker_threads';

/**
 * The worker's code: once told `go`, every millisecond it spins in
 * `hotWorkerLoop` for 20 ms and allocates in `allocWorkerThings`, the two
 * names a per-thread profile must find. A test starts its profile first and
 * then says `go`: V8 may count the samples of code it optimized before a
 * profile started to a caller (docs/diagnostics.md), and these tests are about
 * threads, not about that.
 */
const CODE = `
const { parentPort } = require('node:worker_threads');
function hotWorkerLoop() { let x = 0; const until = Date.now() + 20; while (Date.now() < until) for (let i = 0; i < 1e4; i++) x += Math.sqrt(i); return x; }
let kept = [];
function allocWorkerThings() { for (let i = 0; i < 500; i++) kept.push({ i, s: 'w'.repeat(64) }); if (kept.length > 50000) kept = []; }
parentPort.on('message', (m) => { if (m === 'go') setInterval(() => { hotWorkerLoop(); allocWorkerThings(); }, 1); });
parentPort.postMessage('ready');
`;

/** A real worker thread named `name`, idle until `go(worker)`, then burning CPU and allocating in named functions. `terminate()` it in `finally`. */
export async function startHotWorker(name = 'hot-worker'): Promise<Worker> {
  const w = new Worker(CODE, { eval: true, name });
  await once(w, 'message');
  return w;
}

/** Starts the worker's hot loop. */
export function go(w: Worker): void {
  w.postMessage('go');
}

/** The names of a `.cpuprofile`'s functions. */
export function cpuFunctions(profile: unknown): string[] {
  return ((profile as { nodes: { callFrame: { functionName: string } }[] }).nodes ?? []).map((n) => n.callFrame.functionName);
}

/** The names of a `.heapprofile`'s functions (its tree walked). */
export function heapFunctions(profile: unknown): string[] {
  const out: string[] = [];
  const stack = [(profile as { head: unknown }).head as { callFrame: { functionName: string }; children: unknown[] }];
  while (stack.length > 0) {
    const n = stack.pop()!;
    out.push(n.callFrame.functionName);
    for (const c of n.children) stack.push(c as typeof n);
  }
  return out;
}
