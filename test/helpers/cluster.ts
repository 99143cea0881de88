import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { until } from './until.js';

/** A running test cluster (test/helpers/cluster-primary.ts): the primary's process, its wobserver URL, and each worker's pid by id (kept current as workers are replaced). */
export interface TestCluster {
  primary: ChildProcess;
  url: string;
  workers: Map<number, number>;
  /** SIGTERM, then SIGKILL after 5 s; resolves once it exited. */
  stop(): Promise<void>;
}

/**
 * Starts the primary and resolves once it listens and two workers said hello.
 * `hotThread`: each cluster worker also runs a worker thread `hot-worker`
 * (test/helpers/hot-worker.ts), whose hot loop the custom page `go` starts.
 */
export async function startCluster(o: { hotThread?: boolean } = {}): Promise<TestCluster> {
  const file = fileURLToPath(new URL('./cluster-primary.ts', import.meta.url));
  const env = o.hotThread ? { ...process.env, HOT_THREAD: '1' } : process.env;
  const primary = spawn(process.execPath, ['--import', 'tsx', file], { stdio: ['ignore', 'pipe', 'inherit'], env });
  const workers = new Map<number, number>();
  let url = '';
  let buffer = '';
  primary.stdout.on('data', (d: Buffer) => {
    buffer += d.toString();
    const lines = buffer.split('\n');
    buffer = lines.pop()!;
    for (const l of lines) {
      const m = JSON.parse(l) as { url?: string; worker?: number; pid?: number };
      if (m.url) url = m.url;
      if (m.worker !== undefined) workers.set(m.worker, m.pid!);
    }
  });
  const stop = (): Promise<void> =>
    new Promise((resolve) => {
      if (primary.exitCode !== null || primary.signalCode !== null) return resolve();
      const timer = setTimeout(() => primary.kill('SIGKILL'), 5000);
      primary.once('exit', () => (clearTimeout(timer), resolve()));
      primary.kill('SIGTERM');
    });
  try {
    await until(() => url !== '' && workers.size === 2, (v) => v, 'the primary and two workers');
  } catch (err) {
    await stop();
    throw err;
  }
  return { primary, url, workers, stop };
}
