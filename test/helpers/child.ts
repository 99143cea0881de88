import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';

/** A child process started by `startChild()`, with what it printed so far. */
export interface StartedChild {
  child: ChildProcess;
  /** Everything it wrote to stdout so far. */
  stdout(): string;
  /** Everything it wrote to stderr so far. */
  stderr(): string;
  /** The match of `ready` that said it was up. */
  match: RegExpExecArray;
  /** SIGKILL, at once. */
  kill(): void;
}

export interface StartChildOptions extends Omit<SpawnOptions, 'stdio'> {
  /** What the child prints once it is up. */
  ready: RegExp;
  /** Which stream `ready` is looked for in (default 'stdout'). */
  on?: 'stdout' | 'stderr';
  /** What the child is, for the failure's message. */
  what: string;
  /** Default 30 s. */
  timeoutMs?: number;
}

/**
 * Spawns `command` and resolves once `ready` matches what it printed; fails,
 * naming `what` and quoting its output, when it exits first or takes longer
 * than `timeoutMs` (the child is then killed). The one way tests wait for a
 * child to come up.
 */
export function startChild(command: string, args: readonly string[], options: StartChildOptions): Promise<StartedChild> {
  const { ready, on = 'stdout', what, timeoutMs = 30_000, ...spawnOptions } = options;
  const child = spawn(command, args, { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  return new Promise<StartedChild>((resolve, reject) => {
    const fail = (why: string): void => {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(new Error(`${what} ${why}; stdout: ${out.slice(-2000)}; stderr: ${err.slice(-2000)}`));
    };
    const timer = setTimeout(() => fail(`did not start within ${timeoutMs} ms`), timeoutMs);
    const check = (): void => {
      const match = ready.exec(on === 'stdout' ? out : err);
      if (match === null) return;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({ child, stdout: () => out, stderr: () => err, match, kill: () => void child.kill('SIGKILL') });
    };
    const onExit = (code: number | null, signal: string | null): void => fail(`exited (${code ?? signal}) before it was up`);
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      check();
    });
    child.stderr!.on('data', (d: Buffer) => {
      err += d.toString();
      check();
    });
    child.once('exit', onExit);
  });
}
