// The icicle renderer: one canvas, the root on top, callees below. It walks the
// preorder arrays once per frame and skips every subtree that is off screen or
// narrower than half a pixel (a child is never wider than its parent), so the
// cost follows what is visible, not the profile's size. Rectangles are batched
// by colour, one path each; labels only where they fit.
import type { ProfileTree } from './model.js';

/** Row height in CSS pixels. */
export const ROW = 18;
const MIN_WIDTH = 1;
const LABEL_MIN = 28;
const SHADES = 5;

/** The colours the graph is drawn with, read from CSS variables (light and dark themes set their own). */
export interface FlamePalette {
  app: string;
  deps: string;
  node: string;
  native: string;
  match: string;
  dim: string;
  text: string;
  dimText: string;
  focus: string;
  bg: string;
}

/** Where the view is: the x range in the tree's unit, and how far down it is scrolled in CSS pixels. */
export interface FlameView {
  x0: number;
  x1: number;
  y: number;
}

/** Reads the palette from the element's computed CSS variables (`--flame-*`, profile.css). */
export function readPalette(el: Element): FlamePalette {
  const s = getComputedStyle(el);
  const v = (name: string, fallback: string): string => s.getPropertyValue(name).trim() || fallback;
  return {
    app: v('--flame-app', '#e8a13c'),
    deps: v('--flame-deps', '#6fb36f'),
    node: v('--flame-node', '#6f9fd8'),
    native: v('--flame-native', '#a0a7b0'),
    match: v('--flame-match', '#d6336c'),
    dim: v('--flame-dim', '#e3e6ea'),
    text: v('--flame-text', '#1d232b'),
    dimText: v('--flame-dim-text', '#8a929c'),
    focus: v('--fg', '#1d232b'),
    bg: v('--panel', '#ffffff'),
  };
}

/** A hex colour `#rgb`/`#rrggbb` lightened or darkened by `f` (-1…1); anything else unchanged. */
function shade(hex: string, f: number): string {
  const m = /^#([0-9a-f]{3}|[0-9a-f]{6})$/i.exec(hex);
  if (m === null) return hex;
  let h = m[1]!;
  if (h.length === 3) h = [...h].map((c) => c + c).join('');
  const n = Number.parseInt(h, 16);
  const ch = (c: number) => Math.round(f >= 0 ? c + (255 - c) * f : c * (1 + f));
  const r = ch((n >> 16) & 255);
  const g = ch((n >> 8) & 255);
  const b = ch(n & 255);
  return `rgb(${r},${g},${b})`;
}

/** 0 app, 1 dependencies, 2 Node's own, 3 native / V8 (no script). */
function category(url: string): number {
  if (url === '') return 3;
  if (url.includes('node_modules')) return 1;
  if (url.startsWith('node:') || !url.includes('/')) return 2;
  return 0;
}

/**
 * Draws a ProfileTree on a canvas, crisp at the device pixel ratio. The owner
 * sets the view, the highlighted functions and the focused frame, then calls
 * `draw()` (once per animation frame at most); `hit()` finds the frame under a point.
 */
export class FlameRenderer {
  readonly tree: ProfileTree;
  readonly canvas: HTMLCanvasElement;
  view: FlameView;
  /** Functions to highlight (by index into `tree.functions`); the others are dimmed. Null: none. */
  highlight: Uint8Array | null = null;
  focused = -1;
  /** What the last draw drew: frames (rectangles) and labels. */
  drawn = { frames: 0, labels: 0 };
  hovered = -1;
  #palette: FlamePalette;
  #colours: string[] = [];
  /** Each function's colour bucket: category × shade. */
  #bucket: Uint8Array;
  #width = 0;
  #height = 0;
  #charWidth = 7;
  #measured = false;
  readonly #rects: number[][] = [];
  readonly #labels: number[] = [];

  constructor(canvas: HTMLCanvasElement, tree: ProfileTree, palette: FlamePalette) {
    this.canvas = canvas;
    this.tree = tree;
    this.view = { x0: 0, x1: tree.total[0] || 1, y: 0 };
    this.#palette = palette;
    this.#bucket = new Uint8Array(tree.functions.length);
    tree.functions.forEach((f, i) => {
      let h = 0;
      for (let k = 0; k < f.name.length; k++) h = (h * 31 + f.name.charCodeAt(k)) | 0;
      this.#bucket[i] = category(f.url) * SHADES + (Math.abs(h) % SHADES);
    });
    this.setPalette(palette);
  }

  setPalette(p: FlamePalette): void {
    this.#palette = p;
    this.#colours = [];
    for (const base of [p.app, p.deps, p.node, p.native]) for (let s = 0; s < SHADES; s++) this.#colours.push(shade(base, (s - 2) * 0.08));
  }

  /** Sizes the canvas's backing store to its CSS box times the device pixel ratio. */
  resize(cssWidth: number, cssHeight: number): void {
    const dpr = globalThis.devicePixelRatio || 1;
    this.#width = cssWidth;
    this.#height = cssHeight;
    this.canvas.width = Math.max(1, Math.round(cssWidth * dpr));
    this.canvas.height = Math.max(1, Math.round(cssHeight * dpr));
    this.canvas.style.width = `${cssWidth}px`;
    this.canvas.style.height = `${cssHeight}px`;
  }

  get width(): number {
    return this.#width;
  }

  get height(): number {
    return this.#height;
  }

  /** The full height of the graph in CSS pixels. */
  get contentHeight(): number {
    return (this.tree.maxDepth + 1) * ROW;
  }

  /** Calls `visit` for each frame at least `minWidth` px wide inside the view, in preorder, with its x and width in CSS pixels. */
  visible(minWidth: number, visit: (i: number, x: number, w: number, y: number) => void): void {
    const t = this.tree;
    const { x0, x1, y: top } = this.view;
    const scale = this.#width / (x1 - x0);
    const bottom = top + this.#height;
    let i = 0;
    while (i < t.count) {
      const w = t.total[i]! * scale;
      const x = (t.start[i]! - x0) * scale;
      const y = t.depth[i]! * ROW;
      if (w < minWidth || x >= this.#width || x + w <= 0 || y >= bottom) {
        i = t.end[i]!;
        continue;
      }
      if (y + ROW > top) visit(i, x, w, y - top);
      i++;
    }
  }

  draw(): void {
    const ctx = this.canvas.getContext('2d');
    if (ctx === null) return;
    const dpr = this.canvas.width / Math.max(1, this.#width);
    const p = this.#palette;
    const t = this.tree;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.fillStyle = p.bg;
    ctx.fillRect(0, 0, this.#width, this.#height);
    const hl = this.highlight;
    // Buckets: the category shades, then match, then dim; each a flat list of x, y, w (reused between frames).
    const n = this.#colours.length;
    const rects = this.#rects;
    while (rects.length < n + 2) rects.push([]);
    for (const r of rects) r.length = 0;
    const labels = this.#labels;
    labels.length = 0;
    let nrects = 0;
    // Edges snapped to device pixels: crisp, and the rasteriser's fast path (no anti-aliasing).
    const snap = (v: number): number => Math.round(v * dpr) / dpr;
    const px = 1 / dpr;
    this.visible(MIN_WIDTH, (i, x, w, y) => {
      nrects++;
      const f = t.fn[i]!;
      const b = hl === null ? this.#bucket[f]! : hl[f] === 1 ? n : n + 1;
      const left = snap(Math.max(0, x));
      const right = snap(Math.min(this.#width, x + w));
      // A pixel's gap between neighbours once there is room for it.
      const width = Math.max(px, right - left - (right - left > 3 ? px : 0));
      const top = snap(y);
      rects[b]!.push(left, top, width);
      if (right - left >= LABEL_MIN) labels.push(i, left, right - left, top);
    });
    for (let b = 0; b < rects.length; b++) {
      const r = rects[b]!;
      if (r.length === 0) continue;
      ctx.fillStyle = b < n ? this.#colours[b]! : b === n ? p.match : p.dim;
      for (let k = 0; k < r.length; k += 3) ctx.fillRect(r[k]!, r[k + 1]!, r[k + 2]!, ROW - 1);
    }
    ctx.font = '12px system-ui, sans-serif';
    ctx.textBaseline = 'middle';
    if (!this.#measured) {
      this.#charWidth = ctx.measureText('abcdefghijklmnopqrstuvwxyz').width / 26 || 7;
      this.#measured = true;
    }
    for (let k = 0; k < labels.length; k += 4) {
      const i = labels[k]!;
      const name = t.functions[t.fn[i]!]!.name;
      const room = Math.floor((labels[k + 2]! - 8) / this.#charWidth);
      if (room < 2) continue;
      ctx.fillStyle = hl !== null && hl[t.fn[i]!] !== 1 ? p.dimText : p.text;
      ctx.fillText(name.length > room ? `${name.slice(0, room - 1)}…` : name, labels[k + 1]! + 4, labels[k + 3]! + ROW / 2);
    }
    this.drawn = { frames: nrects, labels: labels.length / 4 };
    for (const [i, width] of [
      [this.hovered, 1],
      [this.focused, 2],
    ] as const) {
      if (i < 0) continue;
      const r = this.rect(i);
      if (r === null) continue;
      ctx.strokeStyle = p.focus;
      ctx.lineWidth = width;
      ctx.strokeRect(r.x + width / 2, r.y + width / 2, Math.max(1, r.w - width - 1), ROW - 1 - width);
    }
  }

  /** Where frame `i` is drawn (CSS pixels, clipped to the canvas's width), or null when it is outside the view. */
  rect(i: number): { x: number; y: number; w: number } | null {
    const t = this.tree;
    const scale = this.#width / (this.view.x1 - this.view.x0);
    const x = (t.start[i]! - this.view.x0) * scale;
    const w = t.total[i]! * scale;
    const y = t.depth[i]! * ROW - this.view.y;
    const left = Math.max(0, x);
    const right = Math.min(this.#width, x + w);
    if (right <= left || y + ROW <= 0 || y >= this.#height) return null;
    return { x: left, y, w: right - left };
  }

  /** The frame under a point in CSS pixels, or -1. */
  hit(px: number, py: number): number {
    const t = this.tree;
    const depth = Math.floor((py + this.view.y) / ROW);
    const u = this.view.x0 + (px / this.#width) * (this.view.x1 - this.view.x0);
    // Descend from the root: at each depth the one child containing u.
    let i = 0;
    if (u < t.start[0]! || u >= t.start[0]! + t.total[0]!) return -1;
    while (t.depth[i]! < depth) {
      let next = -1;
      for (let c = i + 1; c < t.end[i]!; c = t.end[c]!) {
        if (u >= t.start[c]! && u < t.start[c]! + t.total[c]!) {
          next = c;
          break;
        }
      }
      if (next < 0) return -1;
      i = next;
    }
    return t.depth[i] === depth ? i : -1;
  }
}
