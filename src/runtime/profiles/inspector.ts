import type { Session } from 'node:inspector';

/**
 * Where inspector commands run: the main thread's in-process session, or a
 * worker thread reached through the NodeWorker domain (threads.ts). Both
 * answer a command's result or reject with the inspector's error.
 */
export interface InspectorTarget {
  post(method: string, params?: object): Promise<unknown>;
}

/** `session.post` as a promise. */
export function post(s: Session, method: string, params?: object): Promise<unknown> {
  return new Promise((resolve, reject) => {
    s.post(method, params ?? {}, (err, result) => (err ? reject(err) : resolve(result)));
  });
}

/** The main thread's session as a target. */
export function sessionTarget(s: Session): InspectorTarget {
  return { post: (method, params) => post(s, method, params) };
}
