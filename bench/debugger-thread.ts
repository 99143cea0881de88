import { Worker } from 'node:worker_threads';

/**
 * A thread that keeps `Debugger.enable`d on the main thread for as long as the
 * process lives: the choice the watchdog does not make (it enables the debugger
 * only around a capture), started by the bench children to price it.
 */
export function keepDebuggerEnabled(): void {
  new Worker(
    `const { Session } = require('node:inspector'); const s = new Session(); s.connectToMainThread();
     s.post('Debugger.enable', () => {}); setInterval(() => {}, 60_000);`,
    { eval: true },
  ).unref();
}
