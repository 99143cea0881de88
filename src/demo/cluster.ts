import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';

// `npm run demo:cluster`: a small fleet on loopback — three demo services, each with
// wobserver on 4001, 4002, 4003, discovering each other statically and sharing a
// fresh secret. One browser tab at http://127.0.0.1:4001 shows all three.
const base = Number(process.env.WOBSERVER_PORT ?? 4001);
const count = Number(process.env.WOBSERVER_CLUSTER_SIZE ?? 3);
if (!Number.isInteger(base) || base < 1 || base + count > 65535 || !Number.isInteger(count) || count < 1 || count > 20) {
  console.error('wobserver demo:cluster: WOBSERVER_PORT must be a port and WOBSERVER_CLUSTER_SIZE 1 to 20');
  process.exit(2);
}
const ports = Array.from({ length: count }, (_, i) => base + i);
const secret = process.env.WOBSERVER_SECRET ?? randomBytes(24).toString('base64url');
const main = fileURLToPath(new URL('./main.js', import.meta.url));
const children: ChildProcess[] = ports.map((port) =>
  spawn(process.execPath, [...process.execArgv, main], {
    env: { ...process.env, WOBSERVER_PORT: String(port), WOBSERVER_NODES: ports.map((p) => `127.0.0.1:${p}`).join(','), WOBSERVER_SECRET: secret },
    stdio: 'inherit',
  }),
);
console.log(`wobserver demo:cluster: ${count} nodes on ${ports.map((p) => `127.0.0.1:${p}`).join(', ')}; open http://127.0.0.1:${base}/ and switch nodes at the top`);
let stopping = false;
const stop = (): void => {
  if (stopping) return;
  stopping = true;
  for (const c of children) c.kill('SIGTERM');
};
for (const c of children) c.once('exit', (code) => {
  if (!stopping && code !== 0) {
    console.error(`wobserver demo:cluster: a node exited with ${code}; stopping the others`);
    stop();
    process.exitCode = 1;
  }
});
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
