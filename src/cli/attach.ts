import { fileURLToPath, pathToFileURL } from 'node:url';
import { WebSocket } from 'ws';
import { WobserverError } from '../errors.js';

/** Why `wobserver attach` could not start wobserver in the other process; `exitCode` is the command's. */
export class AttachError extends WobserverError {
  readonly exitCode: number;
  constructor(message: string, exitCode = 1) {
    super('ATTACH_FAILED', message);
    this.exitCode = exitCode;
  }
}

interface Cdp {
  call(method: string, params: Record<string, unknown>): Promise<{ result?: { result?: { value?: unknown; description?: string } ; exceptionDetails?: { text: string } }; error?: { message: string } }>;
  close(): void;
}

async function cdp(url: string): Promise<Cdp> {
  const ws = new WebSocket(url);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  let id = 0;
  const pending = new Map<number, (m: unknown) => void>();
  ws.on('message', (d) => {
    const m = JSON.parse(d.toString()) as { id?: number };
    if (m.id !== undefined) pending.get(m.id)?.(m);
  });
  return {
    call: (method, params) =>
      new Promise((resolve) => {
        const my = ++id;
        pending.set(my, resolve as (m: unknown) => void);
        ws.send(JSON.stringify({ id: my, method, params }));
      }),
    close: () => ws.close(),
  };
}

async function inspectorTarget(port: number, timeoutMs: number): Promise<{ ws: string; version: string }> {
  const started = Date.now();
  for (;;) {
    try {
      const version = (await (await fetch(`http://127.0.0.1:${port}/json/version`)).json()) as { Browser: string };
      const list = (await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()) as { webSocketDebuggerUrl: string }[];
      if (list[0] !== undefined) return { ws: list[0].webSocketDebuggerUrl, version: version.Browser };
    } catch {
      // Not open yet.
    }
    if (Date.now() - started > timeoutMs) {
      throw new AttachError(`the inspector did not open on 127.0.0.1:${port} within ${timeoutMs / 1000} s: the process may run with --disable-sigusr1, not be a Node.js process, or the port may be taken (--inspect-port)`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Waits until nothing answers on the inspector port any more. */
async function inspectorClosed(port: number, timeoutMs: number): Promise<void> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    try {
      await fetch(`http://127.0.0.1:${port}/json/version`);
    } catch {
      return;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new AttachError(`wobserver started, but the inspector on 127.0.0.1:${port} is still open`);
}

/**
 * `wobserver attach <pid>`: opens the target's inspector with SIGUSR1 (on
 * loopback), loads wobserver into it configured by `env` (WOBSERVER_*),
 * closes the inspector again, and returns wobserver's URL there.
 */
export async function attach(pid: number, env: Record<string, string>, o: { inspectorPort?: number; timeoutMs?: number } = {}): Promise<string> {
  try {
    process.kill(pid, 0);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new AttachError(code === 'EPERM' ? `you may not signal process ${pid} (run as its user)` : `no process ${pid}`);
  }
  process.kill(pid, 'SIGUSR1');
  const port = o.inspectorPort ?? 9229;
  const target = await inspectorTarget(port, o.timeoutMs ?? 5000);
  const major = Number(/v(\d+)\./.exec(target.version)?.[1] ?? 0);
  const session = await cdp(target.ws);
  const evaluate = async (expression: string, awaitPromise = false): Promise<unknown> => {
    const r = await session.call('Runtime.evaluate', { expression, awaitPromise, includeCommandLineAPI: true, returnByValue: true });
    if (r.error) throw new AttachError(`the inspector refused: ${r.error.message}`);
    if (r.result?.exceptionDetails) throw new AttachError(`loading wobserver failed in ${pid}: ${r.result.result?.description ?? r.result.exceptionDetails.text}`);
    return r.result?.result?.value;
  };
  let ours = false;
  try {
    // The inspector port may belong to another process (the target's could not open): never load into that one.
    const owner = await evaluate('process.pid');
    if (owner !== pid) throw new AttachError(`the inspector on 127.0.0.1:${port} belongs to process ${String(owner)}, not ${pid}: free the port, or give --inspector-port the one ${pid} opened`);
    ours = true;
    if (major < 20) throw new AttachError(`process ${pid} runs ${target.version}; wobserver needs Node.js 20 or newer`);
    const loader = fileURLToPath(new URL('../attach-loader.cjs', import.meta.url));
    const register = pathToFileURL(fileURLToPath(new URL('../register.js', import.meta.url))).href;
    await evaluate(`Object.assign(process.env, ${JSON.stringify(env)}), true`);
    await evaluate(`require(${JSON.stringify(loader)})(${JSON.stringify(register)}).then(() => true)`, true);
    const outcome = (await evaluate(`((o) => o && { url: o.url, error: o.error })(globalThis[Symbol.for('wobserver.register')])`)) as { url?: string; error?: string } | undefined;
    if (outcome?.url === undefined) throw new AttachError(outcome?.error ?? `wobserver did not report a URL in ${pid}`);
    return outcome.url;
  } finally {
    // Close the inspector port again (only the one we opened), a moment after this session has gone:
    // closing it while a session is still connected blocks the target, and crashed it here now and then.
    // `require` is captured; the command line API is gone by then.
    if (ours) await evaluate(`((r) => { setTimeout(() => r('node:inspector').close(), 500).unref(); return true; })(require)`).catch(() => undefined);
    session.close();
    if (ours) await inspectorClosed(port, 5000);
  }
}
