#!/usr/bin/env node
// The wobserver command: demo, attach, metrics, nodes. Exit codes: 0 done,
// 1 the operation failed, 2 the command line was wrong.
import { parseArgs } from 'node:util';
import { WobserverError } from '../errors.js';
import { AttachError, attach } from './attach.js';

const HELP: Record<string, string> = {
  main: `usage: wobserver <command> [options]

commands:
  demo                 the demo service with wobserver on http://127.0.0.1:4001 (what npm start runs)
  attach <pid>         load wobserver into a running Node.js process, without restarting it
  metrics <url>        print one scrape of a wobserver's /metrics
  nodes <url>          list the nodes a wobserver sees

wobserver <command> --help for a command's options.`,
  demo: `usage: wobserver demo [--graphite host:port]
environment: WOBSERVER_HOST, WOBSERVER_PORT, WOBSERVER_PERIOD, WOBSERVER_GRAPHITE, WOBSERVER_NODES, WOBSERVER_SECRET`,
  attach: `usage: wobserver attach <pid> [--port 4001] [--host 127.0.0.1] [--inspector-port 9229]
Opens the process's inspector with SIGUSR1 (only on loopback, only for a process you may signal),
starts wobserver in it, closes the inspector again, and prints the URL. Other WOBSERVER_* variables
of this shell are passed on (WOBSERVER_TOKEN, WOBSERVER_DIAGNOSTICS, ...).`,
  metrics: `usage: wobserver metrics <url> [--token T] [--openmetrics] [--all-nodes]
Prints the text of <url>/metrics (Prometheus text, or OpenMetrics).`,
  nodes: `usage: wobserver nodes <url> [--token T] [--json]
Lists the nodes of <url>/api/nodes: name, state, address.`,
};

/** A command line that cannot be run: printed with the usage, exit code 2. */
class UsageError extends WobserverError {
  constructor(message: string) {
    super('CLI_USAGE', message);
  }
}

function base(url: string): string {
  if (!/^https?:\/\//.test(url)) throw new UsageError(`<url> must start with http:// or https://, got ${JSON.stringify(url)}`);
  return url.replace(/\/+$/, '').replace(/\/metrics$/, '');
}

async function get(url: string, token: string | undefined, accept?: string): Promise<Response> {
  let res: Response;
  try {
    res = await fetch(url, { headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(accept ? { accept } : {}) } });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new Error(`cannot reach ${url}: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => undefined)) as { error?: { code: string; message: string } } | undefined;
    throw new Error(`${url}: ${res.status}${body?.error ? ` ${body.error.code}: ${body.error.message}` : ''}`);
  }
  return res;
}

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    console.log(HELP.main);
    return command === undefined ? 2 : 0;
  }
  if (!(command in HELP) || command === 'main') throw new UsageError(`unknown command ${JSON.stringify(command)}\n\n${HELP.main}`);
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(HELP[command]);
    return 0;
  }
  switch (command) {
    case 'demo': {
      process.argv = [process.argv[0]!, process.argv[1]!, ...rest];
      await import('../demo/main.js');
      return -1; // keeps running
    }
    case 'metrics': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { token: { type: 'string' }, openmetrics: { type: 'boolean' }, 'all-nodes': { type: 'boolean' } } });
      if (positionals.length !== 1) throw new UsageError(HELP.metrics!);
      const res = await get(`${base(positionals[0]!)}/metrics${values['all-nodes'] ? '?nodes=all' : ''}`, values.token ?? process.env.WOBSERVER_TOKEN, values.openmetrics ? 'application/openmetrics-text;version=1.0.0' : 'text/plain');
      process.stdout.write(await res.text());
      return 0;
    }
    case 'nodes': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { token: { type: 'string' }, json: { type: 'boolean' } } });
      if (positionals.length !== 1) throw new UsageError(HELP.nodes!);
      const nodes = (await (await get(`${base(positionals[0]!)}/api/nodes`, values.token ?? process.env.WOBSERVER_TOKEN)).json()) as { name: string; state: string; host: string; port: number; local: boolean; error?: string }[];
      if (values.json) {
        console.log(JSON.stringify(nodes, null, 2));
        return 0;
      }
      const rows = nodes.map((n) => [n.name + (n.local ? ' *' : ''), n.state, n.port > 0 ? `${n.host}:${n.port}` : '', n.error ?? '']);
      const widths = [0, 1, 2].map((i) => Math.max(['node', 'state', 'address'][i]!.length, ...rows.map((r) => r[i]!.length)));
      console.log(['node', 'state', 'address'].map((h, i) => h.padEnd(widths[i]!)).join('  ').trimEnd());
      for (const r of rows) console.log(`${r.slice(0, 3).map((c, i) => c.padEnd(widths[i]!)).join('  ')}${r[3] ? `  ${r[3]}` : ''}`.trimEnd());
      return 0;
    }
    case 'attach': {
      const { values, positionals } = parseArgs({ args: rest, allowPositionals: true, options: { port: { type: 'string' }, host: { type: 'string' }, 'inspector-port': { type: 'string' } } });
      const pid = Number(positionals[0]);
      if (positionals.length !== 1 || !Number.isInteger(pid) || pid <= 0) throw new UsageError(HELP.attach!);
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env)) if (k.startsWith('WOBSERVER_') && v !== undefined) env[k] = v;
      env.WOBSERVER_PORT = values.port ?? env.WOBSERVER_PORT ?? '4001';
      if (values.host !== undefined) env.WOBSERVER_HOST = values.host;
      const url = await attach(pid, env, values['inspector-port'] ? { inspectorPort: Number(values['inspector-port']) } : {});
      console.log(url);
      return 0;
    }
  }
  return 2;
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code >= 0) process.exitCode = code;
  },
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(`wobserver: ${err.message}`);
      process.exitCode = 2;
    } else if (err instanceof AttachError) {
      console.error(`wobserver attach: ${err.message}`);
      process.exitCode = err.exitCode;
    } else {
      console.error(`wobserver: ${(err as Error).message}`);
      process.exitCode = 1;
    }
  },
);
