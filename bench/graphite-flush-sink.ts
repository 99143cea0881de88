// A carbon stand-in for the flush benchmark: counts the lines it reads, prints its port, and answers `count` on stdin.
import { createServer } from 'node:net';

let lines = 0;
const server = createServer((s) => {
  s.on('data', (d: Buffer) => {
    for (let i = d.indexOf(10); i !== -1; i = d.indexOf(10, i + 1)) lines++;
  });
  s.on('error', () => undefined);
});
server.listen(0, '127.0.0.1', () => console.log(JSON.stringify({ port: (server.address() as { port: number }).port })));
process.stdin.on('data', () => console.log(JSON.stringify({ lines })));
