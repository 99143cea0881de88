export { renderText, textChunks, TEXT_CONTENT_TYPE } from './text.js';
export { renderOpenMetrics, openMetricsChunks, OPENMETRICS_CONTENT_TYPE } from './openmetrics.js';
export { negotiateFormat } from './negotiate.js';
export type { ExpositionFormat } from './negotiate.js';
export { createMetricsHandler } from './handler.js';
export type { MetricsHandlerOptions } from './handler.js';
export { escapeLabelValue, escapeHelpText, escapeHelpOpenMetrics, formatValue } from './escape.js';
