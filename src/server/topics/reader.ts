import type { NodeAddress, NodeDirectory } from '../../nodes/index.js';
import { HttpError } from '../http-error.js';
import type { Params, TopicContext } from './define.js';
import { type Topic, topicDefinition } from './index.js';

/** Where a request goes: this node, or another one discovery returned. */
export type Target = { local: true } | { local: false; name: string; address: NodeAddress };

/**
 * Reads one topic for one node. The HTTP API and the WebSocket both come here,
 * so a page answers the same whichever way it is asked. `local` and this
 * node's own name are answered here; a node discovery returned is asked over
 * signed HTTP; any other name is `NODE_NOT_FOUND` (never an address the client
 * chose).
 */
export class Topics {
  readonly #ctx: TopicContext;

  constructor(ctx: TopicContext) {
    this.#ctx = ctx;
  }

  get nodeName(): string {
    return this.#ctx.nodeName;
  }

  /** What the topics read from (for a topic's own default rate or routes). */
  get context(): TopicContext {
    return this.#ctx;
  }

  /** Resolves a node name: this node, or a discovered one (when proxying is on). */
  async resolve(node: string | undefined): Promise<Target> {
    if (node === undefined || node === '' || node === 'local' || node === this.#ctx.nodeName) return { local: true };
    const found = await this.#ctx.directory.find(node);
    if (found === undefined) throw new HttpError(404, 'NODE_NOT_FOUND', `No node named "${node}"`);
    if (found.state.local) return { local: true };
    if (!this.#ctx.directory.proxying) {
      throw new HttpError(403, 'PROXY_DISABLED', `Proxying to other nodes is off: give every node the same nodes.secret to reach "${node}" from here`);
    }
    return { local: false, name: node, address: found.address };
  }

  /** The signed client to other nodes (only when proxying is on). */
  client(): NonNullable<NodeDirectory['client']> {
    const c = this.#ctx.directory.client;
    if (c === undefined) throw new HttpError(403, 'PROXY_DISABLED', 'Proxying to other nodes is off: give every node the same nodes.secret');
    return c;
  }

  /** Reads a topic of any node. */
  async readOn(node: string | undefined, topic: Topic, params: Params = {}): Promise<unknown> {
    const def = topicDefinition(topic);
    const target = def.here === true ? ({ local: true } as const) : await this.resolve(node);
    if (target.local) return this.read(topic, params);
    const query = new URLSearchParams(params);
    let path = `/api/${topic}`;
    if (def.item !== undefined && params[def.item] !== undefined) {
      path += `/${encodeURIComponent(params[def.item]!)}`;
      query.delete(def.item);
    }
    const qs = query.toString();
    // Another node's errors (NodeRequestError) keep their status and code through sendError and errorBody.
    return this.#ctx.directory.client!.json(target.address, `${path}${qs ? `?${qs}` : ''}`);
  }

  async read(topic: Topic, params: Params = {}): Promise<unknown> {
    return topicDefinition(topic).read(this.#ctx, params);
  }
}
