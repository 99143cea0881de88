import type { RegistrySnapshot } from '../../metrics/index.js';
import { escapeHelpText, formatValue } from './escape.js';
import { CHUNK_LINES, type Dialect, renderChunks } from './render.js';

/** Content type of the Prometheus text format 0.0.4. */
export const TEXT_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

const TEXT: Dialect = {
  counterFamily: (base) => `${base}_total`,
  escapeHelp: escapeHelpText,
  units: false,
  bound: formatValue,
  end: '',
};

/** The Prometheus text format 0.0.4 of a snapshot, in chunks of about `chunkLines` lines. */
export function textChunks(snapshot: RegistrySnapshot, chunkLines = CHUNK_LINES): Generator<string> {
  return renderChunks(snapshot, TEXT, chunkLines);
}

/** The Prometheus text format 0.0.4 of a snapshot, as one string. */
export function renderText(snapshot: RegistrySnapshot): string {
  return [...textChunks(snapshot)].join('');
}
