import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Wobserver } from '../wobserver.js';

type ExpressRequest = IncomingMessage & { originalUrl?: string };

/**
 * wobserver as Express middleware: `app.use(expressMiddleware(wob))`, or
 * `app.use('/wobserver', ...)` with `prefix: '/wobserver'`. What is not under
 * the prefix goes on to the next middleware. Call `wob.attach(server)` on the
 * server `app.listen()` returns so that the WebSocket is there from the first
 * request; otherwise the first request through the middleware attaches it.
 */
export function expressMiddleware(wob: Wobserver): (req: ExpressRequest, res: ServerResponse, next: (err?: unknown) => void) => void {
  return (req, res, next) => {
    const server = (req.socket as { server?: Server }).server;
    if (server !== undefined) wob.attach(server);
    // A mount path is stripped from req.url; wobserver matches the whole path against its prefix.
    const url = req.url;
    if (req.originalUrl !== undefined) req.url = req.originalUrl;
    void wob.handle(req, res, () => {
      req.url = url;
      next();
    });
  };
}
