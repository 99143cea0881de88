import type { Registry } from '../../metrics/index.js';
import type { FleetFanout, NodeDirectory } from '../../nodes/index.js';
import type { AnyTopicData, FleetSummary, ItemKey, TopicName } from '../../protocol/index.js';
import type { LoadSampler, Observer, TableQuery } from '../../runtime/index.js';
import { HttpError } from '../http-error.js';

/** A topic's parameters: strings, as in a query string (`{ name: 'users', page: '2' }`). */
export type Params = Readonly<Record<string, string>>;

/** What a topic reads from. */
export interface TopicContext {
  readonly directory: NodeDirectory;
  readonly observer: Observer;
  readonly registry: Registry;
  readonly nodeName: string;
  readonly prefix: string;
  readonly version: string;
  readonly diagnostics: boolean;
  /** The nodes in Prometheus's HTTP service-discovery format. */
  prometheusTargets(): Promise<unknown>;
  /** The Fleet page's shared fan-out over every node. */
  readonly fleet: FleetFanout;
  /** This node's own line of the Fleet page. */
  fleetSummary(): FleetSummary;
}

/** A subscription being opened, for a topic whose default rate depends on it. */
export interface Opening {
  readonly params: Params;
  /** It reads this node (not another one through it). */
  readonly local: boolean;
  readonly ctx: TopicContext;
}

/**
 * One topic of the API and the live protocol: one file in this folder, one
 * line in `index.ts`. Everything the API, the sessions and the feeds treat
 * differently per topic is said here.
 */
export interface TopicDefinition<K extends TopicName = TopicName> {
  readonly name: K;
  /** The parameter that a path segment names: `/api/processes/<id>` is `{ id }`. */
  readonly item?: ItemKey<K>;
  /** Push period in ms when the client names none; 0 sends once. A function may answer undefined for the default. Default: 2000. */
  readonly every?: number | ((s: Opening) => number | undefined);
  /** What must run while the topic is read on this node (request tracking); returns its release. */
  readonly lease?: (o: Observer) => () => void;
  /** Pushed by this sampler as it samples, not polled, on this node. */
  readonly sampler?: (o: Observer) => LoadSampler;
  /** Always answered by the node asked, never forwarded (the node list). */
  readonly here?: boolean;
  /** Routes below the topic: `/api/<topic>/<route>`. */
  readonly routes?: Readonly<Record<string, (ctx: TopicContext) => Promise<unknown>>>;
  /** Reads it; a problem is an HttpError with its code. */
  read(ctx: TopicContext, params: Params): AnyTopicData<K> | Promise<AnyTopicData<K>>;
}

/** Declares a topic; the type parameter ties its reader to the contract's data. */
export function defineTopic<K extends TopicName>(definition: TopicDefinition<K>): TopicDefinition<K> {
  return definition;
}

/** The default push period of a subscription when its client names none. */
export function defaultEvery(t: TopicDefinition, opening: Opening): number {
  const every = typeof t.every === 'function' ? t.every(opening) : t.every;
  return every ?? DEFAULT_EVERY;
}

const DEFAULT_EVERY = 2000;

export function intParam(q: Params, name: string, fallback: number, min: number, max: number): number {
  const raw = q[name];
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (raw === '' || !Number.isInteger(n) || n < min || n > max) {
    throw new HttpError(400, 'BAD_PARAMETER', `${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return n;
}

export function numParam(q: Params, name: string): number | undefined {
  const raw = q[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (raw === '' || !Number.isFinite(n)) throw new HttpError(400, 'BAD_PARAMETER', `${name} must be a number, got "${raw}"`);
  return n;
}

export function tableQuery(q: Params): TableQuery {
  const out: TableQuery = { page: intParam(q, 'page', 0, 0, 1e9), pageSize: intParam(q, 'pageSize', 50, 1, 1000) };
  if (q.sort !== undefined) out.sort = q.sort as TableQuery['sort'];
  if (q.order !== undefined) out.order = q.order as TableQuery['order'];
  if (q.search !== undefined) out.search = q.search.slice(0, 200);
  return out;
}
