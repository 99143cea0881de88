import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { freePort } from './carbon.js';

export interface FleetNode {
  name: string;
  port: number;
  url: string;
  pid: number;
  child: ChildProcess;
}

/** Starts one node of a fleet as its own process. */
export async function startNode(config: Record<string, unknown> & { name: string; port: number }): Promise<FleetNode> {
  const file = fileURLToPath(new URL('./node-process.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', file], { env: { ...process.env, NODE_CONFIG: JSON.stringify(config) }, stdio: ['ignore', 'pipe', 'inherit'] });
  const [line] = (await Promise.race([
    once(child.stdout!, 'data'),
    once(child, 'exit').then(() => {
      throw new Error(`node ${config.name} exited`);
    }),
  ])) as [Buffer];
  const { url, pid } = JSON.parse(line.toString()) as { url: string; pid: number };
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
