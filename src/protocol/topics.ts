import type { AboutInfo } from './about.js';
import type { ApplicationsInfo } from './applications.js';
import type { DiagnosticsInfo } from './diagnostics.js';
import type { EventLoopInfo } from './eventloop.js';
import type { FleetInfo, FleetSummary } from './fleet.js';
import type { LoadColumns } from './load.js';
import type { LogLevel, LogsInfo, RequestLoggerInfo } from './logs.js';
import type { MemoryInfo } from './memory.js';
import type { JsonMetrics } from './metrics.js';
import type { NodeInfo } from './nodes.js';
import type { CustomPageInfo, CustomPageResult } from './pages.js';
import type { PortsInfo } from './ports.js';
import type { ProcessDetail, ProcessesInfo } from './processes.js';
import type { SystemInfo } from './system.js';
import type { TableInfo, TablePage, TableQuery } from './tables.js';
import type { TrafficInfo } from './traffic.js';

/**
 * Every topic: what it answers (`data`), the parameters it reads (strings on
 * the wire, as in a query string), and, for a topic that also answers one
 * named thing (`/api/processes/<id>`, `{ params: { id } }`), that parameter
 * and what it answers then (`item`). The server's topic files are typed by
 * it and the UI's `useTopic` reads it: a field renamed on one side only does
 * not compile.
 */
export interface TopicMap {
  nodes: { data: NodeInfo[]; params: Record<never, string> };
  fleet: { data: FleetInfo; params: { node?: string }; item: { key: 'node'; data: FleetSummary } };
  system: { data: SystemInfo; params: Record<never, string> };
  load: { data: LoadColumns; params: { since?: string } };
  memory: { data: MemoryInfo; params: Record<never, string> };
  applications: { data: ApplicationsInfo; params: { refresh?: 'true' | 'false' } };
  processes: { data: ProcessesInfo; params: { id?: string }; item: { key: 'id'; data: ProcessDetail } };
  ports: { data: PortsInfo; params: { full?: 'true' | 'false'; limit?: string } };
  tables: {
    data: TableInfo[];
    params: { name?: string; page?: string; pageSize?: string; sort?: TableQuery['sort']; order?: 'asc' | 'desc'; search?: string };
    item: { key: 'name'; data: TablePage };
  };
  metrics: { data: JsonMetrics; params: { search?: string } };
  pages: { data: CustomPageInfo[]; params: { command?: string }; item: { key: 'command'; data: CustomPageResult } };
  eventloop: { data: EventLoopInfo; params: Record<never, string> };
  traffic: { data: TrafficInfo; params: { method?: string; route?: string } };
  logs: { data: LogsInfo; params: { since?: string; level?: LogLevel; search?: string; limit?: string } };
  requestlog: { data: RequestLoggerInfo; params: { token?: string } };
  diagnostics: { data: DiagnosticsInfo; params: Record<never, string> };
  about: { data: AboutInfo; params: Record<never, string> };
}

export type TopicName = keyof TopicMap;

/** A topic's parameters as a client may give them (numbers and booleans are sent as their text). */
export type TopicParams<K extends TopicName> = { [P in keyof TopicMap[K]['params']]?: TopicMap[K]['params'][P] | number | boolean };

/** The parameter that names one thing of a topic, if it has one. */
export type ItemKey<K extends TopicName> = TopicMap[K] extends { item: { key: infer I extends string } } ? I : never;

/** What a read of topic `K` with parameters `P` answers: the named thing when `P` names one, else the topic's data. */
export type TopicData<K extends TopicName, P = unknown> = TopicMap[K] extends { item: { key: infer I extends string; data: infer D } }
  ? P extends { [Q in I]: string | number | boolean }
    ? D
    : TopicMap[K]['data']
  : TopicMap[K]['data'];

/** Every answer a topic may give (its data, or a named thing of it). */
export type AnyTopicData<K extends TopicName> = TopicMap[K]['data'] | (TopicMap[K] extends { item: { data: infer D } } ? D : never);
