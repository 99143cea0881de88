// Mounting wobserver in a framework. node:http needs no adapter: `wob.handle(req, res, next?)` and `wob.attach(server)`.
export { expressMiddleware } from './express.js';
export { fastifyPlugin } from './fastify.js';
export { koaMiddleware } from './koa.js';
