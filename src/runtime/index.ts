// The observer's eyes: each page's data as a plain, JSON-safe function, no HTTP in it.
export { createRedactor, DEFAULT_SECRET_NAMES, REDACTED } from './redact.js';
export type { RedactOptions, Redactor } from './redact.js';
export { systemInfo, memoryLimit } from './system.js';
export type { SystemInfo, MemoryLimit } from './system.js';
export { memoryInfo, memoryWarnings } from './memory.js';
export type { MemoryInfo, HeapSpace } from './memory.js';
export { LoadSampler, LOAD_SERIES } from './load.js';
export type { LoadColumns, LoadOptions, LoadSample, LoadSeriesName } from './load.js';
export { SocketTracker } from './sockets.js';
export { portsInfo } from './ports.js';
export type { PortsInfo, PortRow, Endpoint } from './ports.js';
export { TableRegistry, TableError } from './tables.js';
export type { TableInfo, TablePage, TableQuery, TableSource, Tabular } from './tables.js';
export { CustomPages, CustomPageError } from './custom-pages.js';
export type { CustomPage, CustomPageResult, CustomPageShape } from './custom-pages.js';
export { preview } from './preview.js';
export type { Preview, PreviewOptions } from './preview.js';
