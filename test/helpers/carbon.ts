import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { TestContext } from 'node:test';
import { missingPeer } from './peers.js';

export const CARBON = '/usr/bin/carbon-cache';
export const WHISPER_FETCH = '/usr/bin/whisper-fetch';

export async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const port = (s.address() as { port: number }).port;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

async function reachable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect(port, '127.0.0.1');
    c.once('connect', () => (c.destroy(), resolve(true)));
    c.once('error', () => resolve(false));
  });
}

/** A real carbon-cache (Debian's graphite-carbon), configured in a temporary folder, on free loopback ports, 1 s resolution. */
export class Carbon {
  readonly dir: string;
  readonly port: number;
  #cachePort: number;
  #picklePort: number;
  #child: ChildProcess | undefined;

  private constructor(dir: string, port: number, picklePort: number, cachePort: number) {
    this.dir = dir;
    this.port = port;
    this.#picklePort = picklePort;
    this.#cachePort = cachePort;
  }

  /**
   * Starts carbon; without it the test is skipped, or fails under CI=true.
   * `maxUpdatesPerSecond` (default inf) slows its writes to whisper, so that
   * received points wait in its cache.
   */
  static async start(t: TestContext, o: { maxUpdatesPerSecond?: number } = {}): Promise<Carbon | undefined> {
    if (!existsSync(CARBON) || !existsSync(WHISPER_FETCH)) {
      const why = `${CARBON} or ${WHISPER_FETCH} is missing (apt-get install graphite-carbon python3-whisper, or npm run peers)`;
      missingPeer(t, why);
      return undefined;
    }
    const dir = mkdtempSync(join(tmpdir(), 'wob-carbon-'));
    for (const d of ['whisper', 'log', 'pid']) mkdirSync(join(dir, d));
    const c = new Carbon(dir, await freePort(), await freePort(), await freePort());
    writeFileSync(
      join(dir, 'carbon.conf'),
      `[cache]
STORAGE_DIR = ${dir}/
LOCAL_DATA_DIR = ${dir}/whisper/
CONF_DIR = ${dir}/
LOG_DIR = ${dir}/log/
PID_DIR = ${dir}/pid/
DATABASE = whisper
USER =
MAX_CACHE_SIZE = inf
MAX_UPDATES_PER_SECOND = ${o.maxUpdatesPerSecond ?? 'inf'}
MAX_CREATES_PER_MINUTE = inf
LINE_RECEIVER_INTERFACE = 127.0.0.1
LINE_RECEIVER_PORT = ${c.port}
ENABLE_UDP_LISTENER = False
PICKLE_RECEIVER_INTERFACE = 127.0.0.1
PICKLE_RECEIVER_PORT = ${c.#picklePort}
CACHE_QUERY_INTERFACE = 127.0.0.1
CACHE_QUERY_PORT = ${c.#cachePort}
USE_FLOW_CONTROL = True
WHISPER_AUTOFLUSH = True
`,
    );
    writeFileSync(join(dir, 'storage-schemas.conf'), '[all]\npattern = .*\nretentions = 1s:2h\n');
    // Closed even when the test times out before its own finally runs: no carbon is left behind.
    t.after(() => c.close());
    await c.#spawn();
    return c;
  }

  async #spawn(): Promise<void> {
    this.#child = spawn(CARBON, [`--config=${join(this.dir, 'carbon.conf')}`, '--nodaemon', 'start'], { stdio: 'ignore' });
    const started = Date.now();
    while (!(await reachable(this.port))) {
      if (Date.now() - started > 20_000) throw new Error('carbon-cache did not start within 20 s');
      if (this.#child.exitCode !== null) throw new Error(`carbon-cache exited with ${this.#child.exitCode}`);
      await sleep(100);
    }
  }

  /** Stops carbon (it writes its cache out first). */
  async stop(): Promise<void> {
    const child = this.#child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await Promise.race([exited, sleep(10_000).then(() => child.kill('SIGKILL'))]);
    this.#child = undefined;
  }

  /** Kills carbon with `signal` and waits until it exited: with SIGKILL, what its cache held is gone. */
  async kill(signal: NodeJS.Signals): Promise<void> {
    const child = this.#child;
    if (child === undefined || child.exitCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await Promise.race([exited, sleep(20_000).then(() => child.kill('SIGKILL'))]);
    await exited;
    this.#child = undefined;
  }

  /** Starts carbon again after `stop` or `kill`. */
  async start(): Promise<void> {
    if (this.#child === undefined) await this.#spawn();
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.#spawn();
  }

  async close(): Promise<void> {
    await this.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** The points stored for a metric path, as `timestamp (s) → value`, None left out. */
  async fetch(path: string, from: number, until: number): Promise<Map<number, number>> {
    const file = join(this.dir, 'whisper', ...path.split('.')) + '.wsp';
    if (!existsSync(file)) return new Map();
    const out = await new Promise<string>((resolve, reject) =>
      execFile(WHISPER_FETCH, [`--from=${from}`, `--until=${until}`, file], (err, stdout) => (err ? reject(err) : resolve(stdout))),
    );
    const points = new Map<number, number>();
    for (const line of out.split('\n')) {
      const [ts, v] = line.split('\t');
      if (ts && v && v !== 'None') points.set(Number(ts), Number(v));
    }
    return points;
  }

  /** Waits until `check` holds for the stored points of `path`. */
  async waitFor(path: string, from: number, until: number, check: (p: Map<number, number>) => boolean, timeoutMs = 20_000): Promise<Map<number, number>> {
    const started = Date.now();
    for (;;) {
      const p = await this.fetch(path, from, until);
      if (check(p)) return p;
      if (Date.now() - started > timeoutMs) return p;
      await sleep(250);
    }
  }
}
