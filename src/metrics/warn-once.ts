import type { CollectError } from './collect.js';

/**
 * The default `onError` of a registry: one process warning per collector and
 * reason, so a collector that fails every interval does not flood the log
 * (`wobserver_collect_errors_total` still counts every failure).
 */
export function warnOncePerCollector(): (e: CollectError) => void {
  const warned = new Set<string>();
  return (e) => {
    const key = `${e.collector}\0${e.reason}`;
    if (warned.has(key)) return;
    warned.add(key);
    const why = e.error instanceof Error ? `: ${e.error.message}` : '';
    process.emitWarning(`wobserver: collector ${e.collector} skipped (${e.reason})${why}`, { code: 'WOBSERVER_COLLECT' });
  };
}
