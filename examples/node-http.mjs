// wobserver mounted in a plain node:http server, under /wobserver.
import { createServer } from 'node:http';
import { createWobserver } from 'wobserver';

const wob = createWobserver({ prefix: '/wobserver' });
const server = createServer((req, res) => void wob.handle(req, res, () => res.end('hello from node:http')));
wob.attach(server); // the WebSocket at /wobserver/ws
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1', () => console.log(`http://127.0.0.1:${server.address().port}`));
