// wobserver's contract between the runtime, the server, other nodes and the
// client: the data of every topic and the live protocol's messages. Types
// only, no Node imports: the browser's code compiles against it too.
export type * from './about.js';
export type * from './applications.js';
export type * from './diagnostics.js';
export type * from './eventloop.js';
export type * from './fleet.js';
export type * from './load.js';
export type * from './logs.js';
export type * from './memory.js';
export type * from './messages.js';
export type * from './metrics.js';
export type * from './nodes.js';
export type * from './pages.js';
export type * from './ports.js';
export type * from './preview.js';
export type * from './processes.js';
export type * from './system.js';
export type * from './tables.js';
export type * from './topics.js';
export type * from './traffic.js';
