import { createHash } from 'node:crypto';
import { findSourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { StackFrame } from '../../protocol/index.js';
import { REDACTED, type Redactor } from '../redact.js';
import type { RawFrame } from './messages.js';
import { SIGNATURE_FRAMES } from './options.js';

/**
 * Turns the watchdog's frames into the page's: the original position through
 * the script's source map (when the process runs with source maps), and every
 * URL through the redactor, failing closed (a redactor that throws hides the
 * text whole).
 */
export function finishFrames(raw: readonly RawFrame[], redactor: Redactor, sourceMaps = process.sourceMapsEnabled): StackFrame[] {
  return raw.map((f) => {
    const source = sourceMaps ? original(f) : null;
    return {
      functionName: safe(() => redactor.text(f.functionName)),
      url: safe(() => redactor.url(f.url)),
      line: f.line,
      column: f.column,
      source: source === null ? null : { ...source, url: safe(() => redactor.url(source.url)) },
    };
  });
}

/** The group key: a short hash of the top frames' function, URL, line and column. */
export function signature(frames: readonly StackFrame[]): string {
  const h = createHash('sha1');
  for (const f of frames.slice(0, SIGNATURE_FRAMES)) h.update(`${f.functionName}\0${f.url}\0${f.line}\0${f.column}\n`);
  return h.digest('hex').slice(0, 16);
}

function safe(redact: () => string): string {
  try {
    return redact();
  } catch {
    return REDACTED;
  }
}

function original(f: RawFrame): StackFrame['source'] {
  if (f.url === '' || f.url.startsWith('node:')) return null;
  try {
    const map = findSourceMap(f.url.startsWith('file:') ? fileURLToPath(f.url) : f.url) ?? findSourceMap(f.url);
    if (map === undefined) return null;
    const e = map.findEntry(f.line - 1, f.column - 1) as { originalSource?: string; originalLine?: number; originalColumn?: number };
    if (e.originalSource === undefined || e.originalLine === undefined || e.originalColumn === undefined) return null;
    return { url: e.originalSource, line: e.originalLine + 1, column: e.originalColumn + 1 };
  } catch {
    return null;
  }
}
