import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Wobserver } from '../wobserver.js';

/** The part of a Fastify instance the plugin uses. */
interface FastifyLike {
  server: Server;
  removeAllContentTypeParsers(): void;
  addContentTypeParser(type: string, fn: (req: unknown, payload: unknown, done: (err: null, body?: unknown) => void) => void): void;
  route(options: { method: string[]; url: string; handler: (request: { raw: IncomingMessage }, reply: { raw: ServerResponse; hijack(): void }) => Promise<void> }): void;
  addHook(name: 'preClose', fn: () => Promise<void>): void;
}

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS'];

/**
 * wobserver as a Fastify plugin: `await app.register(fastifyPlugin(wob))`
 * (without a Fastify `prefix`: wobserver's own `prefix` option places it).
 * It routes `<prefix>` and `<prefix>/*` to wobserver, leaves request bodies to
 * it, attaches the WebSocket to Fastify's server, and closes wobserver's live
 * clients when Fastify closes.
 */
export function fastifyPlugin(wob: Wobserver): (fastify: FastifyLike) => Promise<void> {
  return async (fastify) => {
    wob.attach(fastify.server);
    // In this plugin's own context only: bodies stay unread for wobserver.
    fastify.removeAllContentTypeParsers();
    fastify.addContentTypeParser('*', (_req, _payload, done) => done(null));
    const handler = async (request: { raw: IncomingMessage }, reply: { raw: ServerResponse; hijack(): void }): Promise<void> => {
      reply.hijack();
      await wob.handle(request.raw, reply.raw);
    };
    fastify.route({ method: METHODS, url: wob.prefix === '' ? '/' : wob.prefix, handler });
    fastify.route({ method: METHODS, url: `${wob.prefix}/*`, handler });
    // Before Fastify waits for its connections: live clients would hold them open.
    fastify.addHook('preClose', async () => wob.close());
  };
}
