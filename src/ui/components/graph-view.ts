// Where the diagram is looked at from: a translation and a scale, and the
// views the diagram opens at, fits, zooms and moves to. Pure, for tests.
import type { Layout, LayoutInputNode, PlacedNode } from './layered-layout.js';

/** Labels are 12 px in layout units, cut at 40 characters; their width is estimated, which keeps the layout free of DOM measurement. */
export const FONT = 12;
export const MAX_CHARS = 40;
const CHAR = 6.9;
const BOX_H = 24;

export const truncate = (s: string): string => (s.length > MAX_CHARS ? `${s.slice(0, MAX_CHARS - 1)}…` : s);

/** The box a label needs. */
export const boxFor = (id: string, label: string): LayoutInputNode => ({ id, width: Math.ceil(truncate(label).length * CHAR) + 16, height: BOX_H });

/** Screen = layout × k + (x, y). */
export interface View {
  x: number;
  y: number;
  k: number;
}

/** The scale at which 12 px labels are 10.8 px on screen: the least the diagram opens at. */
export const READABLE_K = 0.9;
const MIN_K = 0.02;
const MAX_K = 4;

const clamp = (k: number) => Math.min(MAX_K, Math.max(MIN_K, k));

/** The whole diagram, centred (labels may be too small to read). */
export function fitAll(layout: Layout, size: { w: number; h: number }): View {
  const k = clamp(Math.min(size.w / Math.max(1, layout.width), size.h / Math.max(1, layout.height), 1.5));
  return { k, x: (size.w - layout.width * k) / 2, y: (size.h - layout.height * k) / 2 };
}

/**
 * The whole diagram when its labels are readable that way; otherwise the
 * readable scale, the root at the left and in the middle, with its direct
 * dependencies beside it.
 */
export function initialView(layout: Layout, size: { w: number; h: number }, root: string | undefined): View {
  const all = fitAll(layout, size);
  if (all.k >= READABLE_K) return all;
  const r = (root !== undefined ? layout.nodes.get(root) : undefined) ?? layout.nodes.values().next().value;
  if (r === undefined) return all;
  const k = READABLE_K;
  return { k, x: 8 - (r.x - 16) * k, y: size.h / 2 - (r.y + r.height / 2) * k };
}

/** Zooms by `factor` keeping the screen point (cx, cy) where it is. */
export function zoomAt(v: View, factor: number, cx: number, cy: number): View {
  const k = clamp(v.k * factor);
  return { k, x: cx - ((cx - v.x) * k) / v.k, y: cy - ((cy - v.y) * k) / v.k };
}

/** `node` in the middle of the screen, at a readable scale at least. */
export function focusOn(node: PlacedNode, size: { w: number; h: number }, v: View | undefined): View {
  const k = Math.max(v?.k ?? READABLE_K, READABLE_K);
  return { k, x: size.w / 2 - (node.x + node.width / 2) * k, y: size.h / 2 - (node.y + node.height / 2) * k };
}

/** A rectangle in layout units. */
export interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

/**
 * The part of the layout worth putting in the page: what is on screen and
 * half a screen around it, snapped to a quarter of a screen so that a pan of
 * a few pixels renders nothing again.
 */
export function visibleWindow(v: View, size: { w: number; h: number }): Box {
  const w = size.w / v.k;
  const h = size.h / v.k;
  const step = Math.max(w, h) / 4;
  const snap = (n: number) => Math.floor(n / step) * step;
  const x0 = snap(-v.x / v.k - w / 2);
  const y0 = snap(-v.y / v.k - h / 2);
  return { x0, y0, x1: x0 + 2 * w + 2 * step, y1: y0 + 2 * h + 2 * step };
}

export const overlaps = (a: Box, b: Box): boolean => a.x0 <= b.x1 && b.x0 <= a.x1 && a.y0 <= b.y1 && b.y0 <= a.y1;
