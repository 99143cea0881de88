import cluster from 'node:cluster';
import { type AgentMessage, isAgentMessage } from '../nodes/index.js';
import { diagnosticsGuard, runDiagnostic } from './diagnostic-actions.js';
import { errorBody } from './feeds.js';
import { OptionError } from '../errors.js';
import { HttpError, errorStatus } from './http-error.js';
import { isTopic, topicDefinition } from './topics/index.js';
import { type Wobserver, type WobserverOptions, createWobserver } from './wobserver.js';

export interface ClusterAgent {
  readonly name: string;
  readonly wobserver: Wobserver;
  close(): void;
}

/**
 * Runs in each worker of Node's `cluster` module: answers the primary's
 * wobserver over the cluster's IPC channel — every page, the metrics,
 * diagnostics — so that every worker is a node in the primary's switcher and
 * in its aggregated `/metrics`, without a port of its own.
 */
export function startClusterAgent(options: WobserverOptions = {}): ClusterAgent {
  if (!cluster.isWorker || cluster.worker === undefined || process.send === undefined) {
    throw new OptionError('startClusterAgent() runs in a cluster worker; the primary runs start({ nodes: { discovery: "cluster" } })', 'NOT_A_WORKER');
  }
  const name = options.nodeName ?? `worker-${cluster.worker.id}`;
  const wobserver = createWobserver({ ...options, nodeName: name, assets: false });
  const guard = diagnosticsGuard(options.diagnostics);
  const reply = (m: AgentMessage): void => {
    try {
      process.send?.(m);
    } catch {
      // The primary is gone; nothing to answer.
    }
  };
  const onMessage = (m: unknown): void => {
    if (!isAgentMessage(m) || m.__wobserver !== 'req') return;
    void (async () => {
      try {
        const data = m.op === 'diagnostics' ? await runDiagnostic(wobserver.observer, guard, m.action, queryOf(m.query)) : await read(wobserver, m.path);
        reply({ __wobserver: 'res', id: m.id, ok: true, data });
      } catch (err) {
        reply({ __wobserver: 'res', id: m.id, ok: false, error: { status: errorStatus(err), ...errorBody(err) } });
      }
    })();
  };
  process.on('message', onMessage);
  reply({ __wobserver: 'hello', name });
  return {
    name,
    wobserver,
    close() {
      process.off('message', onMessage);
      wobserver.close();
    },
  };
}

/** `/api/<topic>[/<thing>]?query` read locally. */
async function read(wob: Wobserver, path: string): Promise<unknown> {
  const url = new URL(path, 'http://worker');
  const segments = url.pathname.split('/').filter((s) => s !== '').map(decodeURIComponent);
  const [api, topic, thing, ...rest] = segments;
  if (api !== 'api' || !isTopic(topic) || rest.length > 0) throw new HttpError(404, 'NOT_FOUND', `No API route ${url.pathname}`);
  const params: Record<string, string> = Object.fromEntries(url.searchParams);
  const named = topicDefinition(topic).item;
  if (thing !== undefined) {
    if (named === undefined) throw new HttpError(404, 'NOT_FOUND', `No API route ${url.pathname}`);
    params[named] = thing;
  }
  return wob.read(topic, params);
}

/** A diagnostics action's query from the primary, checked: only string values. */
function queryOf(q: unknown): Record<string, string> {
  if (q === undefined) return {};
  if (typeof q !== 'object' || q === null || Array.isArray(q) || !Object.values(q).every((v) => typeof v === 'string')) {
    throw new HttpError(400, 'BAD_MESSAGE', 'a diagnostics query is an object of strings');
  }
  return { ...(q as Record<string, string>) };
}
