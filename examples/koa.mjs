// wobserver as Koa middleware, under /wobserver.
import Koa from 'koa';
import { createWobserver, koaMiddleware } from 'wobserver';

const wob = createWobserver({ prefix: '/wobserver' });
const app = new Koa();
app.use(koaMiddleware(wob));
app.use(async (ctx) => {
  ctx.body = 'hello from koa';
});
const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => console.log(`http://127.0.0.1:${server.address().port}`));
wob.attach(server);
