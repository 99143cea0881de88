// The process's log output and LiveDashboard's request logger: console, stdout, stderr, pino, winston.
export { LogCapture } from './capture.js';
export { LogsError } from './errors.js';
export type { LogsErrorCode } from './errors.js';
export { LOG_LEVELS } from './levels.js';
export { LOG_SOURCES, LOGS_DEFAULTS, resolveLogsOptions } from './options.js';
export type { LogsOptions, RequestMarkOptions, ResolvedLogsOptions } from './options.js';
export type { PinoDestination, PinoTarget, PinoWritable } from './pino.js';
export type { RequestLogListener } from './requests.js';
export { WinstonTransport } from './winston.js';
export type { LogLevel, LogLine, LogRingState, LogSource, LogsInfo, LogsQuery, LogsStats, LoggedRequest, RequestLog, RequestLogEvent, RequestLoggerInfo } from '../../protocol/logs.js';
