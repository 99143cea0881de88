import type { Worker } from 'node:worker_threads';

/**
 * The worker threads wobserver starts for itself (the event-loop watchdog): left
 * out of the Processes page, the thread lists and the profiles, as wobserver's
 * own are not the application's. Their names start with `wobserver-` too, which
 * is how the inspector's thread list (profiles/threads.ts) knows them.
 */
/** The start of the name of every thread wobserver starts (`wobserver-watchdog`). */
export const OWN_THREAD_PREFIX = 'wobserver-';

const OWN = new WeakSet<Worker>();

export function markOwnThread(w: Worker): Worker {
  OWN.add(w);
  return w;
}

export function isOwnThread(w: Worker): boolean {
  return OWN.has(w);
}
