import type { RegistrySnapshot } from '../../metrics/index.js';
import { escapeHelpOpenMetrics, formatBoundCanonical } from './escape.js';
import { CHUNK_LINES, type Dialect, renderChunks } from './render.js';

/** Content type of OpenMetrics 1.0.0. */
export const OPENMETRICS_CONTENT_TYPE = 'application/openmetrics-text; version=1.0.0; charset=utf-8';

const OPENMETRICS: Dialect = {
  counterFamily: (base) => base,
  escapeHelp: escapeHelpOpenMetrics,
  units: true,
  bound: formatBoundCanonical,
  end: '# EOF\n',
};

/** OpenMetrics 1.0 of a snapshot, in chunks of about `chunkLines` lines, ending with `# EOF`. */
export function openMetricsChunks(snapshot: RegistrySnapshot, chunkLines = CHUNK_LINES): Generator<string> {
  return renderChunks(snapshot, OPENMETRICS, chunkLines);
}

/** OpenMetrics 1.0 of a snapshot, as one string. */
export function renderOpenMetrics(snapshot: RegistrySnapshot): string {
  return [...openMetricsChunks(snapshot)].join('');
}
