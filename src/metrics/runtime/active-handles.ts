// The one place that reads libuv's handles and requests as objects, through
// process._getActiveHandles() and _getActiveRequests(): undocumented, so a
// runtime may lack them (Bun, a future Node), and then the answer is
// undefined rather than a throw. The runtime metrics, the System page and the
// Ports page all read them from here.

type Internals = { _getActiveHandles?: () => object[]; _getActiveRequests?: () => object[] };

const internals = process as unknown as Internals;

/** The active libuv handles (servers, sockets, timers, …), or undefined where the runtime has no way to list them. */
export function activeHandles(): object[] | undefined {
  return typeof internals._getActiveHandles === 'function' ? internals._getActiveHandles() : undefined;
}

/** The active libuv requests (fs, dns, …), or undefined where the runtime has no way to list them. */
export function activeRequests(): object[] | undefined {
  return typeof internals._getActiveRequests === 'function' ? internals._getActiveRequests() : undefined;
}

/** The class a handle or request belongs to (`Socket`, `Server`, `FSReqCallback`), as prom-client labels them. */
export function handleType(o: object): string {
  return o?.constructor?.name || 'Unknown';
}
