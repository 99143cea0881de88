// The browser's side of a heap snapshot: ask the observed process for one,
// read the answer as it streams in (parsing each piece as it comes, so the
// text never sits whole in memory), keep the bytes as a Blob to save, then
// analyse in slices. The page loads this module on demand.
import { type Comparison, compare } from './compare.js';
import { SnapshotParser } from './parse.js';
import { type Progress, nextTask, runSliced, SLICE_MS, throwIfAborted } from './slices.js';
import { analyse, type HeapSummary, summaryOf } from './summary.js';

/** A snapshot taken, analysed and kept by the page. */
export interface TakenSnapshot {
  /** The file's name, from the answer's Content-Disposition. */
  filename: string;
  /** The file itself, to save. */
  blob: Blob;
  takenAt: number;
  /** Milliseconds from the request to the summary, and of those the analysis after the last byte. */
  totalMs: number;
  analysisMs: number;
  summary: HeapSummary;
}

/** An answer that was not a snapshot; on a 429, `retryAfterSeconds` from its Retry-After header (NaN without one). */
export class SnapshotRequestError extends Error {
  readonly code: string;
  readonly retryAfterSeconds: number | undefined;
  constructor(code: string, message: string, retryAfterSeconds?: number) {
    super(message);
    this.name = 'SnapshotRequestError';
    this.code = code;
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/**
 * The largest snapshot analysed in the tab, in bytes: the analysis takes about
 * 1.2 times the file's size in typed arrays at its peak, besides the file kept
 * to save. Larger ones are only saved. Default of {@link readSnapshot}.
 */
export const MAX_ANALYSED_BYTES = 512 * 1024 * 1024;

/** A snapshot too large to analyse in the tab (over `maxBytes`): read whole anyway, to be saved. */
export class SnapshotTooLargeError extends Error {
  readonly code = 'HEAP_SNAPSHOT_TOO_LARGE';
  readonly blob: Blob;
  /** The file's name from the answer, once {@link takeSnapshot} knows it. */
  filename = 'heap.heapsnapshot';
  constructor(blob: Blob, maxBytes: number) {
    super(`The snapshot is ${(blob.size / 2 ** 20).toFixed(0)} MiB, more than the ${(maxBytes / 2 ** 20).toFixed(0)} MiB analysed in the browser: saved as a file for DevTools instead`);
    this.name = 'SnapshotTooLargeError';
    this.blob = blob;
  }
}

/** Pieces larger than this are parsed in parts, so that a slice stays short. */
const PIECE = 32 * 1024;

/**
 * Parses a snapshot's byte stream as it arrives, yielding to the browser
 * every `sliceMs` (default `SLICE_MS`); returns the parser (call `end()`) and the bytes as a Blob.
 * Past `maxBytes` (default {@link MAX_ANALYSED_BYTES}) it stops parsing, reads
 * the rest and throws {@link SnapshotTooLargeError} with the whole file.
 */
export async function readSnapshot(
  body: ReadableStream<Uint8Array>,
  options: { totalBytes?: number; maxBytes?: number; sliceMs?: number; signal?: AbortSignal; onProgress?: (p: Progress) => void } = {},
): Promise<{ parser: SnapshotParser; blob: Blob }> {
  const maxBytes = options.maxBytes ?? MAX_ANALYSED_BYTES;
  const sliceMs = options.sliceMs ?? SLICE_MS;
  let parser: SnapshotParser | undefined = new SnapshotParser();
  const decoder = new TextDecoder();
  const chunks: Uint8Array[] = [];
  const reader = body.getReader();
  let bytes = 0;
  let start = performance.now();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      bytes += value.byteLength;
      if (bytes > maxBytes || (options.totalBytes ?? 0) > maxBytes) parser = undefined;
      for (let at = 0; parser !== undefined && at < value.byteLength; at += PIECE) {
        parser.feed(decoder.decode(value.subarray(at, at + PIECE), { stream: true }));
        if (performance.now() - start < sliceMs) continue;
        options.onProgress?.({ phase: 'reading', done: bytes, total: options.totalBytes ?? 0 });
        await nextTask();
        throwIfAborted(options.signal);
        start = performance.now();
      }
    }
    parser?.feed(decoder.decode());
  } finally {
    reader.releaseLock();
  }
  const blob = new Blob(chunks as BlobPart[], { type: 'application/json' });
  if (parser === undefined) throw new SnapshotTooLargeError(blob, maxBytes);
  return { parser, blob };
}

/**
 * POSTs `url` (the diagnostics heap-snapshot action), reads and analyses the
 * snapshot without freezing the tab. Throws {@link SnapshotRequestError} on an
 * error answer, a `HeapSnapshotError` when the text is not a snapshot.
 */
export async function takeSnapshot(url: string, headers: Record<string, string>, options: { maxBytes?: number; signal?: AbortSignal; onProgress?: (p: Progress) => void } = {}): Promise<TakenSnapshot> {
  const t0 = performance.now();
  options.onProgress?.({ phase: 'taking', done: 0, total: 0 });
  const res = await fetch(url, { method: 'POST', headers, ...(options.signal ? { signal: options.signal } : {}) });
  if (!res.ok || res.body === null) {
    const body = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
    const header = res.headers.get('retry-after');
    throw new SnapshotRequestError(body.error?.code ?? `HTTP_${res.status}`, body.error?.message ?? `HTTP ${res.status}`, res.status === 429 ? Number(header ?? Number.NaN) : undefined);
  }
  const filename = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? `heap-${new Date().toISOString().replace(/[:.]/g, '-')}.heapsnapshot`;
  const length = Number(res.headers.get('content-length') ?? 0);
  const { parser, blob } = await readSnapshot(res.body, { totalBytes: length, ...options }).catch((e: unknown) => {
    if (e instanceof SnapshotTooLargeError) e.filename = filename;
    throw e;
  });
  const t1 = performance.now();
  const analysis = await runSliced(analyse(parser.end()), options);
  const summary = summaryOf(analysis);
  const t2 = performance.now();
  return { filename, blob, takenAt: Date.now(), totalMs: t2 - t0, analysisMs: t2 - t1, summary };
}

/** The growth from `earlier` to `later`, by constructor, in slices. */
export function compareSnapshots(earlier: HeapSummary, later: HeapSummary, options: { signal?: AbortSignal; onProgress?: (p: Progress) => void } = {}): Promise<Comparison> {
  return runSliced(compare(earlier.kept, later.kept), options);
}
