import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Wobserver } from '../wobserver.js';

/** The part of Koa's context the middleware uses. */
interface KoaContext {
  req: IncomingMessage;
  res: ServerResponse;
  respond?: boolean;
}

/**
 * wobserver as Koa middleware: `app.use(koaMiddleware(wob))`. It answers what
 * is under the prefix itself (Koa does not touch those responses) and passes
 * the rest on. Call `wob.attach(server)` on the server `app.listen()` returns.
 */
export function koaMiddleware(wob: Wobserver): (ctx: KoaContext, next: () => Promise<unknown>) => Promise<unknown> {
  return async (ctx, next) => {
    const server = (ctx.req.socket as { server?: Server }).server;
    if (server !== undefined) wob.attach(server);
    let passed = false;
    const handled = wob.handle(ctx.req, ctx.res, () => {
      passed = true;
    });
    if (passed) return next();
    ctx.respond = false;
    await handled;
  };
}
