import { DiagnosticsError } from './errors.js';
import type { ProfileEntry, ProfileKind, ProfileTrigger, ThreadRef } from '../../protocol/index.js';

export interface ProfileRingOptions {
  /** Profiles kept; 0 keeps none. Default: 10. */
  entries?: number;
  /** Their total size as JSON, in bytes; a profile larger than this alone is not kept. Default: 64 MiB. */
  bytes?: number;
}

/** What a finished profile brings to the ring. */
export interface ProfileRecord {
  kind: ProfileKind;
  thread: ThreadRef;
  startedAt: number;
  durationMs: number;
  trigger: ProfileTrigger;
  /** The `.cpuprofile` / `.heapprofile` object. */
  profile: object;
}

export const RING_DEFAULTS = { entries: 10, bytes: 64 * 1024 * 1024 } as const;

/**
 * The recent profiles, kept as their JSON text (serialized once: the ring, the
 * download and `GET …/profiles/<id>` hand out the same string), bounded by
 * count and by bytes; the oldest go first. Ids are never reused in a process.
 */
export class ProfileRing {
  readonly capacity: number;
  readonly maxBytes: number;
  /** Oldest first. */
  readonly #entries: Array<{ entry: ProfileEntry; json: string }> = [];
  #bytes = 0;
  #seq = 0;
  readonly #epoch = Date.now().toString(36);

  constructor(options: ProfileRingOptions = {}) {
    this.capacity = options.entries ?? RING_DEFAULTS.entries;
    this.maxBytes = options.bytes ?? RING_DEFAULTS.bytes;
    if (!(Number.isInteger(this.capacity) && this.capacity >= 0)) throw new DiagnosticsError('DIAGNOSTICS_INVALID', `profileRing must be an integer >= 0, got ${String(options.entries)}`);
    if (!(Number.isInteger(this.maxBytes) && this.maxBytes >= 0)) throw new DiagnosticsError('DIAGNOSTICS_INVALID', `profileRingBytes must be an integer >= 0, got ${String(options.bytes)}`);
  }

  /** Serializes a profile, keeps it when it fits (dropping the oldest to make room), and returns its entry and JSON either way. */
  add(r: ProfileRecord): { entry: ProfileEntry; json: string; kept: boolean } {
    const json = JSON.stringify(r.profile);
    const entry: ProfileEntry = {
      id: `${this.#epoch}-${++this.#seq}`,
      kind: r.kind,
      thread: r.thread,
      startedAt: r.startedAt,
      durationMs: Math.round(r.durationMs),
      trigger: r.trigger,
      bytes: Buffer.byteLength(json),
      nodes: countNodes(r.kind, r.profile),
    };
    const kept = this.capacity > 0 && entry.bytes <= this.maxBytes;
    if (kept) {
      this.#entries.push({ entry, json });
      this.#bytes += entry.bytes;
      while (this.#entries.length > this.capacity || this.#bytes > this.maxBytes) this.#bytes -= this.#entries.shift()!.entry.bytes;
    }
    return { entry, json, kept };
  }

  /** Newest first. */
  list(): ProfileEntry[] {
    return this.#entries.map((e) => e.entry).reverse();
  }

  /** A kept profile's entry and JSON, or undefined when it is gone (or never was). */
  get(id: string): { entry: ProfileEntry; json: string } | undefined {
    return this.#entries.find((e) => e.entry.id === id);
  }

  /** Bytes kept now. */
  get bytes(): number {
    return this.#bytes;
  }

  clear(): void {
    this.#entries.length = 0;
    this.#bytes = 0;
  }
}

/** Nodes of a profile's call tree: a `.cpuprofile` lists them flat, a `.heapprofile` nests them under `head`. */
export function countNodes(kind: ProfileKind, profile: object): number {
  if (kind === 'cpu-profile') {
    const nodes = (profile as { nodes?: unknown }).nodes;
    return Array.isArray(nodes) ? nodes.length : 0;
  }
  let n = 0;
  const stack: unknown[] = [(profile as { head?: unknown }).head];
  while (stack.length > 0) {
    const node = stack.pop() as { children?: unknown } | undefined;
    if (node === undefined || node === null) continue;
    n++;
    if (Array.isArray(node.children)) for (const c of node.children) stack.push(c);
  }
  return n;
}
