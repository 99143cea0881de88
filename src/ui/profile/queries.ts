// What the viewer reads from a ProfileTree: the function table, search matches
// and their share, a frame's neighbours for the keyboard, a function's place.
// Pure: no DOM.
import type { FunctionInfo, ProfileTree } from './model.js';

/** A row of the function table: self and total summed over every call of the function, total counted once per stack. */
export interface FunctionRow extends FunctionInfo {
  fn: number;
  self: number;
  total: number;
}

/**
 * The function table: per function (name, url, line), its self time (or
 * bytes) summed over every call, and its total counted once per stack, so a
 * recursive function's total never exceeds the profile's. Unordered.
 */
export function functionTable(t: ProfileTree): FunctionRow[] {
  const n = t.functions.length;
  const self = new Float64Array(n);
  const total = new Float64Array(n);
  const onStack = new Int32Array(n);
  const stack: number[] = [];
  for (let i = 0; i < t.count; i++) {
    while (stack.length > 0 && t.end[stack[stack.length - 1]!]! <= i) onStack[t.fn[stack.pop()!]!]!--;
    const f = t.fn[i]!;
    self[f]! += t.self[i]!;
    if (onStack[f] === 0) total[f]! += t.total[i]!;
    onStack[f]!++;
    stack.push(i);
  }
  return t.functions.map((info, fn) => ({ ...info, fn, self: self[fn]!, total: total[fn]! }));
}

/** Which functions a search matches: the query, case-insensitive, in the name or the url; an empty query matches none. */
export function matchFunctions(t: ProfileTree, query: string): Uint8Array {
  const out = new Uint8Array(t.functions.length);
  const q = query.trim().toLowerCase();
  if (q === '') return out;
  t.functions.forEach((f, i) => {
    if (f.name.toLowerCase().includes(q) || f.url.toLowerCase().includes(q)) out[i] = 1;
  });
  return out;
}

/** What the matched functions account for, counted once per stack (a match under a match is already in it). */
export function matchedTotal(t: ProfileTree, matched: Uint8Array): number {
  let sum = 0;
  let i = 0;
  while (i < t.count) {
    if (matched[t.fn[i]!] === 1) {
      sum += t.total[i]!;
      i = t.end[i]!;
    } else {
      i++;
    }
  }
  return sum;
}

/** The node's next sibling, or -1. */
export function nextSibling(t: ProfileTree, i: number): number {
  const p = t.parent[i]!;
  const n = t.end[i]!;
  return p >= 0 && n < t.end[p]! ? n : -1;
}

/** The node's previous sibling, or -1. */
export function previousSibling(t: ProfileTree, i: number): number {
  const p = t.parent[i]!;
  if (p < 0) return -1;
  let prev = -1;
  for (let c = p + 1; c < i; c = t.end[c]!) prev = c;
  return prev;
}

/** The node's largest child, or -1. */
export function firstChild(t: ProfileTree, i: number): number {
  return t.end[i]! > i + 1 ? i + 1 : -1;
}

/** "file.js:12" of a function: the url's last path segment, or "" when it has none. */
export function place(f: FunctionInfo): string {
  if (f.url === '') return '';
  const file = f.url.slice(f.url.lastIndexOf('/') + 1) || f.url;
  return f.line > 0 ? `${file}:${f.line}` : file;
}
