import type { IncomingMessage, Server } from 'node:http';

/** Names a served request to leave out, from the request and the server that received it. */
export type RequestPredicate = (req: IncomingMessage, server: Server) => boolean;

/**
 * The predicates naming served requests to leave out (wobserver's own,
 * health checks), added and removed at run time: the traffic tracker's and
 * the request logger's. The list is replaced, never changed in place, so
 * that a request being checked sees one whole list.
 */
export class RequestIgnores {
  #list: readonly RequestPredicate[];

  constructor(initial?: RequestPredicate) {
    this.#list = initial === undefined ? [] : [initial];
  }

  /** Adds `predicate`; returns its remover (a second call does nothing). */
  add(predicate: RequestPredicate): () => void {
    this.#list = [...this.#list, predicate];
    let removed = false;
    return () => {
      if (removed) return;
      removed = true;
      this.#list = this.#list.filter((p) => p !== predicate);
    };
  }

  /** Whether a predicate names the request; one that throws throws here, for the caller to count. */
  matches(req: IncomingMessage, server: Server): boolean {
    const list = this.#list;
    for (let i = 0; i < list.length; i++) if (list[i]!(req, server) === true) return true;
    return false;
  }
}
