// wobserver as Express middleware, under /wobserver.
import express from 'express';
import { createWobserver, expressMiddleware } from 'wobserver';

const wob = createWobserver({ prefix: '/wobserver' });
const app = express();
app.use(expressMiddleware(wob));
app.get('/', (_req, res) => {
  res.send('hello from express');
});
const server = app.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => console.log(`http://127.0.0.1:${server.address().port}`));
wob.attach(server);
