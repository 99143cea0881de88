import type { TopicName } from '../../protocol/index.js';
import { about } from './about.js';
import { applications } from './applications.js';
import type { TopicDefinition } from './define.js';
import { diagnostics } from './diagnostics.js';
import { eventloop } from './eventloop.js';
import { fleet } from './fleet.js';
import { load } from './load.js';
import { logs } from './logs.js';
import { memory } from './memory.js';
import { metrics } from './metrics.js';
import { nodes } from './nodes.js';
import { pages } from './pages.js';
import { ports } from './ports.js';
import { processes } from './processes.js';
import { requestlog } from './requestlog.js';
import { system } from './system.js';
import { tables } from './tables.js';
import { traffic } from './traffic.js';

/** Every topic, in the order `/api` lists them: a new one is its file and one line here. */
export const TOPIC_DEFINITIONS = { nodes, fleet, system, load, memory, applications, processes, ports, tables, metrics, pages, eventloop, traffic, logs, requestlog, diagnostics, about } satisfies {
  [K in TopicName]: TopicDefinition<K>;
};

export type Topic = TopicName;

export const TOPICS = Object.keys(TOPIC_DEFINITIONS) as Topic[];

export function isTopic(s: unknown): s is Topic {
  return typeof s === 'string' && Object.hasOwn(TOPIC_DEFINITIONS, s);
}

export function topicDefinition(name: Topic): TopicDefinition {
  return TOPIC_DEFINITIONS[name] as TopicDefinition;
}

export { type Opening, type Params, type TopicContext, type TopicDefinition, defaultEvery, defineTopic, intParam } from './define.js';
export { type Target, Topics } from './reader.js';
