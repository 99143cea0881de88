import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePort } from './carbon.js';
import { startChild } from './child.js';

export interface FleetNode {
  name: string;
  port: number;
  url: string;
  pid: number;
  child: ChildProcess;
}

/** Starts one node of a fleet as its own process. */
export async function startNode(config: Record<string, unknown> & { name: string; port: number }): Promise<FleetNode> {
  return spawnNode(fileURLToPath(new URL('./node-process.ts', import.meta.url)), 'NODE_CONFIG', config);
}

/** Runs `file` as its own process with `config` in the variable `variable`; resolves once it printed `{ url, pid }`. */
async function spawnNode(file: string, variable: string, config: { name: string; port: number }): Promise<FleetNode> {
  const { child, match } = await startChild(process.execPath, ['--import', 'tsx', file], { env: { ...process.env, [variable]: JSON.stringify(config) }, ready: /^\{.*"url".*\}$/m, what: `node ${config.name}` });
  const { url, pid } = JSON.parse(match[0]) as { url: string; pid: number };
  return { name: config.name, port: config.port, url, pid, child };
}

export async function ports(n: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(await freePort());
  return out;
}

export async function stopAll(nodes: FleetNode[]): Promise<void> {
  await Promise.all(
    nodes.map(async (n) => {
      if (n.child.exitCode !== null || n.child.signalCode !== null) return;
      const exited = once(n.child, 'exit');
      n.child.kill('SIGKILL');
      await exited;
    }),
  );
}

/**
 * A rogue node, as its own process on loopback: it answers what `routes`
 * (a JSON file, read at each request, so a test can change it) says for each
 * path — `{ status?, type?, body, hang? }`, `/api/about` naming it by default —
 * signing its answers with `answerSecret` when given (a node that knows the
 * secret but lies), unsigned otherwise (one that does not know it). It checks
 * no signature, and writes every request it receives (method, url, headers)
 * as a line to `capture`, to be replayed elsewhere.
 */
export interface RogueConfig {
  name: string;
  port: number;
  routes: string;
  capture: string;
  answerSecret?: string;
}

export async function startRogue(config: RogueConfig): Promise<FleetNode> {
  return spawnNode(fileURLToPath(import.meta.url), 'WOBSERVER_ROGUE', config);
}

async function serveRogue(config: RogueConfig): Promise<void> {
  const { createServer } = await import('node:http');
  const { appendFileSync, readFileSync } = await import('node:fs');
  const { signAnswers, SIGNATURE_HEADERS } = await import('../../src/nodes/index.js');
  const server = createServer((req, res) => {
    appendFileSync(config.capture, `${JSON.stringify({ method: req.method, url: req.url, headers: req.headers })}\n`);
    const path = (req.url ?? '/').split('?')[0]!;
    let routes: Record<string, { status?: number; type?: string; body?: string; hang?: boolean }> = {};
    try {
      routes = JSON.parse(readFileSync(config.routes, 'utf8')) as typeof routes;
    } catch {
      // No routes yet: the defaults.
    }
    const route = routes[path] ?? (path === '/api/about' ? { body: JSON.stringify({ name: 'wobserver', node: config.name }) } : { status: 404, body: '{"error":{"code":"NOT_FOUND","message":"no"}}' });
    if (route.hang) return;
    const nonce = req.headers[SIGNATURE_HEADERS.nonce];
    if (config.answerSecret !== undefined && typeof nonce === 'string') signAnswers(res, config.answerSecret, nonce);
    res.writeHead(route.status ?? 200, { 'content-type': route.type ?? 'application/json; charset=utf-8' });
    res.end(route.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(config.port, '127.0.0.1', resolve));
  console.log(JSON.stringify({ url: `http://127.0.0.1:${config.port}`, pid: process.pid }));
}

if (process.env.WOBSERVER_ROGUE !== undefined && process.argv[1] === fileURLToPath(import.meta.url)) {
  await serveRogue(JSON.parse(process.env.WOBSERVER_ROGUE) as RogueConfig);
}

/**
 * Starts `n` light nodes (test/helpers/fleet-member.mjs: the build, no tsx,
 * no discovery of their own), named `<prefix>-00`…, `batch` at a time so that
 * two cores are not swamped. Needs `npm run build`.
 */
export async function startMembers(n: number, o: { prefix: string; secret: string; batch?: number }): Promise<FleetNode[]> {
  const file = fileURLToPath(new URL('./fleet-member.mjs', import.meta.url));
  const out: FleetNode[] = [];
  const batch = o.batch ?? 5;
  try {
    for (let i = 0; i < n; i += batch) {
      const names = Array.from({ length: Math.min(batch, n - i) }, (_, j) => `${o.prefix}-${String(i + j).padStart(2, '0')}`);
      const settled = await Promise.allSettled(
        names.map(async (name) => {
          const { child, match } = await startChild(process.execPath, [file], { env: { ...process.env, FLEET_MEMBER: JSON.stringify({ name, secret: o.secret }) }, ready: /^\{.*"url".*\}$/m, what: `node ${name}` });
          const { url, pid } = JSON.parse(match[0]) as { url: string; pid: number };
          return { name, port: Number(new URL(url).port), url, pid, child };
        }),
      );
      for (const r of settled) if (r.status === 'fulfilled') out.push(r.value);
      const failed = settled.find((r) => r.status === 'rejected');
      if (failed !== undefined) throw failed.reason;
    }
    return out;
  } catch (err) {
    await stopAll(out);
    throw err;
  }
}
