import type { FleetInfo, FleetRow, FleetState, FleetSummary } from '../protocol/index.js';
import type { NodeDirectory } from './directory.js';
import { FleetAnswerInvalid, validateSummary } from './fleet-validate.js';
import { NodeRequestError } from './node-request-error.js';
import type { NodeState } from './types.js';

export interface FleetFanoutOptions {
  directory: NodeDirectory;
  /** This node's own summary: answered without a network hop. */
  local: () => FleetSummary;
  /** How long one fan-out is shared by every reader. Default: 2000 ms. */
  periodMs?: number;
  /** The clock of the cache, ms (a test passes its own). Default: `Date.now`. */
  now?: () => number;
}

/** Why a node is not up, by the code of what went wrong. */
const STATE_OF: Record<string, FleetState> = {
  NODE_TIMEOUT: 'timeout',
  NODE_UNREACHABLE: 'down',
  NODE_ANSWER_UNSIGNED: 'invalid',
  NODE_ANSWER_INVALID: 'invalid',
  NODE_ANSWER_TOO_LARGE: 'invalid',
  NODE_BAD_ANSWER: 'invalid',
  FLEET_ANSWER_INVALID: 'invalid',
};
const CODE = /^[A-Z][A-Z0-9_]{0,39}$/;
const MAX_MESSAGE = 300;

/** A message from elsewhere, made safe to show: no control characters, bounded. */
function bounded(message: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
  const clean = message.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return clean.length > MAX_MESSAGE ? `${clean.slice(0, MAX_MESSAGE - 1)}…` : clean;
}

/**
 * The Fleet page's one fan-out: every node asked for its summary
 * (`/api/fleet/<its name>`, signed, or over IPC for a cluster worker) in
 * parallel, each for at most the nodes timeout — one that does not answer in
 * time is `timeout`, not waited for. This node answers without a hop. A
 * result is shared by every reader for `periodMs`, and readers arriving while
 * one runs wait for that one: however many browsers watch, the nodes are
 * asked once a period. Every answer is validated (validateSummary); a node
 * that lies spoils only its own row. A node's last valid summary stays on its
 * row, with `lastSeen`, while it is not up.
 *
 * ```ts
 * const fanout = new FleetFanout({ directory, local: () => summary.read(name, 0) });
 * const { nodes } = await fanout.read();
 * ```
 */
export class FleetFanout {
  readonly #directory: NodeDirectory;
  readonly #local: () => FleetSummary;
  readonly periodMs: number;
  readonly #now: () => number;
  #last: FleetInfo | undefined;
  #running: Promise<FleetInfo> | undefined;
  #seen = new Map<string, { summary: FleetSummary; at: number }>();
  /** Fan-outs run since start (what the cache saves shows here). */
  fanouts = 0;

  constructor(o: FleetFanoutOptions) {
    this.#directory = o.directory;
    this.#local = o.local;
    this.periodMs = o.periodMs ?? 2000;
    this.#now = o.now ?? Date.now;
  }

  /** How long a node is waited for: the nodes timeout. */
  get timeoutMs(): number {
    return this.#directory.client?.timeoutMs ?? 5000;
  }

  /** Every node's row: the shared result while younger than the period (with a tenth of slack for timers that fire early), else a new fan-out. */
  read(): Promise<FleetInfo> {
    if (this.#last !== undefined && this.#now() - this.#last.timestamp < this.periodMs * 0.9) return Promise.resolve(this.#last);
    this.#running ??= this.#fanOut().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #fanOut(): Promise<FleetInfo> {
    this.fanouts++;
    const timestamp = this.#now();
    const t0 = performance.now();
    const nodes = await this.#directory.list();
    const rows = await Promise.all(nodes.map((n) => this.#ask(n)));
    // Only nodes still listed keep a last answer.
    const listed = new Set(nodes.map((n) => n.name));
    for (const name of this.#seen.keys()) if (!listed.has(name)) this.#seen.delete(name);
    this.#last = { timestamp, tookMs: performance.now() - t0, timeoutMs: this.timeoutMs, periodMs: this.periodMs, nodes: rows };
    return this.#last;
  }

  async #ask(n: NodeState): Promise<FleetRow> {
    const base = { name: n.name, local: n.local };
    const t0 = performance.now();
    if (!n.local && this.#directory.client === undefined) {
      // Not asked: without nodes.secret this node cannot sign a request to it (the code is the one the API gives for the same reason).
      return { ...base, state: 'unknown', code: 'PROXY_DISABLED', message: 'Proxying to other nodes is off: give every node the same nodes.secret' };
    }
    try {
      const summary = n.local ? this.#local() : await this.#remote(n);
      const at = Date.now();
      this.#seen.set(n.name, { summary, at });
      return { ...base, state: 'up', summary, lastSeen: at, answerMs: performance.now() - t0 };
    } catch (err) {
      const seen = this.#seen.get(n.name);
      const known = err instanceof NodeRequestError || err instanceof FleetAnswerInvalid;
      const code = known && CODE.test(err.code) ? err.code : 'NODE_ERROR';
      const state = STATE_OF[code] ?? 'error';
      return { ...base, state, code, message: bounded(err instanceof Error ? err.message : String(err)), ...(seen ? { summary: seen.summary, lastSeen: seen.at } : {}) };
    }
  }

  async #remote(n: NodeState): Promise<FleetSummary> {
    // #ask asks a remote node only when there is a client.
    const client = this.#directory.client!;
    const timeoutMs = client.timeoutMs;
    const address = { host: n.host, port: n.port, prefix: n.prefix, name: n.name, ...(n.ipc !== undefined ? { ipc: n.ipc } : {}) };
    let timer: NodeJS.Timeout | undefined;
    // The client's timeout is for silence; this one bounds the whole answer, so that a node trickling bytes is not waited for either.
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new NodeRequestError(504, 'NODE_TIMEOUT', `${n.name} did not answer within ${timeoutMs} ms`)), timeoutMs);
      timer.unref();
    });
    try {
      const body = await Promise.race([client.json<unknown>(address, `/api/fleet/${encodeURIComponent(n.name)}`, { timeoutMs }), deadline]);
      return validateSummary(body, n.name);
    } finally {
      clearTimeout(timer);
    }
  }
}
