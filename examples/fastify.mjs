// wobserver as a Fastify plugin, under /wobserver.
import Fastify from 'fastify';
import { createWobserver, fastifyPlugin } from 'wobserver';

const app = Fastify();
await app.register(fastifyPlugin(createWobserver({ prefix: '/wobserver' })));
app.get('/', async () => 'hello from fastify');
console.log(await app.listen({ port: Number(process.env.PORT ?? 3000), host: '127.0.0.1' }));
