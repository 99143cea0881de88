import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { THEME_EVENT } from '../theme.js';
import { FlameRenderer, ROW, readPalette } from './flame.js';
import type { ProfileTree } from './model.js';
import { firstChild, nextSibling, place, previousSibling } from './queries.js';

/** Most frames listed in the hidden text layer (the widest in view). */
const LISTED = 200;
const MAX_HEIGHT = 540;
const DRAG = 4;

/** How a value of the tree's unit reads: ms of CPU time, or bytes. */
export type Formatter = (v: number) => string;

/** Its name, file:line, self, total and share of the whole. */
export function describe(t: ProfileTree, i: number, fmt: Formatter): string {
  const f = t.functions[t.fn[i]!]!;
  const at = place(f);
  return `${f.name}${at ? ` (${at})` : ''}: self ${fmt(t.self[i]!)}, total ${fmt(t.total[i]!)}, ${((t.total[i]! / (t.total[0]! || 1)) * 100).toFixed(1)} %`;
}

/**
 * The icicle: a canvas drawn by FlameRenderer. Click a frame to zoom into it
 * (`zoom`), drag to pan, Ctrl+wheel to zoom at the pointer. Keyboard: Tab to
 * the graph, arrows move between frames (up to the caller, down to the largest
 * callee, left and right to siblings), Enter zooms, Escape goes back. Hover or
 * focus shows a tooltip. Beside the canvas, a visually hidden list names the
 * widest frames in view, for screen readers and tests (`data-name` on each).
 */
export function FlameGraph(props: {
  tree: ProfileTree;
  fmt: Formatter;
  /** The frame zoomed into (its range fills the width); 0 is the whole profile. */
  zoom: number;
  onZoom: (i: number) => void;
  onBack: () => void;
  highlight: Uint8Array | null;
}): preact.JSX.Element {
  const { tree, fmt } = props;
  const box = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const renderer = useRef<FlameRenderer | null>(null);
  const frame = useRef(0);
  const [focused, setFocused] = useState(-1);
  const [tip, setTip] = useState<{ i: number; x: number; y: number } | null>(null);
  const [listed, setListed] = useState<number[]>([]);
  const settle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const list = (): void => {
    const r = renderer.current;
    if (r === null) return;
    const found: [number, number][] = [];
    r.visible(2, (i, _x, w) => void found.push([i, w]));
    found.sort((a, b) => b[1] - a[1]);
    setListed(found.slice(0, LISTED).map(([i]) => i));
  };
  const redraw = (): void => {
    if (frame.current !== 0) return;
    frame.current = requestAnimationFrame(() => {
      frame.current = 0;
      renderer.current?.draw();
      clearTimeout(settle.current);
      settle.current = setTimeout(list, 150);
    });
  };

  useEffect(() => {
    const el = canvas.current!;
    const r = new FlameRenderer(el, tree, readPalette(box.current!));
    renderer.current = r;
    const size = (): void => {
      r.resize(box.current!.clientWidth, Math.min(MAX_HEIGHT, r.contentHeight));
      redraw();
    };
    const ro = new ResizeObserver(size);
    ro.observe(box.current!);
    size();
    // A window moved to a screen of another pixel ratio: the backing store follows.
    let dpr: MediaQueryList | undefined;
    const watchRatio = (): void => {
      dpr?.removeEventListener('change', onRatio);
      dpr = matchMedia(`(resolution: ${globalThis.devicePixelRatio || 1}dppx)`);
      dpr.addEventListener('change', onRatio);
    };
    const onRatio = (): void => {
      size();
      watchRatio();
    };
    watchRatio();
    const theme = (): void => {
      r.setPalette(readPalette(box.current!));
      redraw();
    };
    addEventListener(THEME_EVENT, theme);
    return () => {
      ro.disconnect();
      dpr?.removeEventListener('change', onRatio);
      removeEventListener(THEME_EVENT, theme);
      cancelAnimationFrame(frame.current);
      frame.current = 0;
      clearTimeout(settle.current);
      renderer.current = null;
    };
  }, [tree]);

  useEffect(() => {
    const r = renderer.current;
    if (r === null) return;
    const z = props.zoom;
    r.view = { ...r.view, x0: tree.start[z]!, x1: tree.start[z]! + (tree.total[z]! || 1) };
    // Keep the zoomed frame in sight vertically.
    const y = tree.depth[z]! * ROW;
    if (y < r.view.y || y + ROW > r.view.y + r.height) r.view.y = Math.max(0, y - ROW);
    redraw();
  }, [tree, props.zoom]);

  useEffect(() => {
    const r = renderer.current;
    if (r === null) return;
    r.highlight = props.highlight;
    r.focused = focused;
    redraw();
  }, [props.highlight, focused]);

  /** Pans by CSS pixels, clamped to the profile. */
  const pan = (dx: number, dy: number): void => {
    const r = renderer.current!;
    const span = r.view.x1 - r.view.x0;
    const whole = tree.total[0]! || 1;
    const x0 = Math.min(Math.max(0, r.view.x0 - (dx / r.width) * span), whole - span);
    const y = Math.min(Math.max(0, r.view.y - dy), Math.max(0, r.contentHeight - r.height));
    r.view = { x0, x1: x0 + span, y };
    redraw();
  };
  const zoomAt = (px: number, factor: number): void => {
    const r = renderer.current!;
    const whole = tree.total[0]! || 1;
    const u = r.view.x0 + (px / r.width) * (r.view.x1 - r.view.x0);
    const span = Math.min(whole, Math.max(whole / 1e9, (r.view.x1 - r.view.x0) * factor));
    const x0 = Math.min(Math.max(0, u - (px / r.width) * span), whole - span);
    r.view = { ...r.view, x0, x1: x0 + span };
    redraw();
  };

  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);
  const local = (e: MouseEvent): [number, number] => {
    const b = canvas.current!.getBoundingClientRect();
    return [e.clientX - b.left, e.clientY - b.top];
  };
  const onPointerDown = (e: PointerEvent): void => {
    drag.current = { x: e.clientX, y: e.clientY, moved: false };
    (e.currentTarget as HTMLElement).setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent): void => {
    const d = drag.current;
    const r = renderer.current!;
    if (d !== null && (d.moved || Math.abs(e.clientX - d.x) + Math.abs(e.clientY - d.y) > DRAG)) {
      d.moved = true;
      pan(e.clientX - d.x, e.clientY - d.y);
      d.x = e.clientX;
      d.y = e.clientY;
      return;
    }
    const [x, y] = local(e);
    const i = r.hit(x, y);
    if (i !== r.hovered) {
      r.hovered = i;
      redraw();
    }
    setTip(i < 0 ? null : { i, x, y });
  };
  const onPointerUp = (e: PointerEvent): void => {
    const d = drag.current;
    drag.current = null;
    if (d === null || d.moved) return;
    const [x, y] = local(e);
    const i = renderer.current!.hit(x, y);
    if (i >= 0) {
      setFocused(i);
      props.onZoom(i);
    }
  };
  const onLeave = (): void => {
    const r = renderer.current;
    if (r !== null && r.hovered !== -1) {
      r.hovered = -1;
      redraw();
    }
    setTip(null);
  };
  const onWheel = (e: WheelEvent): void => {
    const r = renderer.current!;
    if (e.ctrlKey || e.metaKey) {
      e.preventDefault();
      zoomAt(local(e)[0], Math.exp(e.deltaY * 0.002));
    } else if (Math.abs(e.deltaX) > Math.abs(e.deltaY) || (e.deltaY !== 0 && r.contentHeight > r.height)) {
      e.preventDefault();
      pan(-e.deltaX, -e.deltaY);
    }
  };
  const move = (i: number): void => {
    if (i < 0) return;
    setFocused(i);
    const r = renderer.current!;
    // Bring it into view when it is off screen or too narrow to see.
    const rect = r.rect(i);
    if (rect === null || rect.w < 2) props.onZoom(i);
    const at = r.rect(i);
    setTip(at === null ? null : { i, x: at.x + Math.min(at.w, 40), y: at.y + ROW });
  };
  const onKey = (e: KeyboardEvent): void => {
    const f = focused < 0 ? props.zoom : focused;
    const keys: Record<string, () => void> = {
      ArrowUp: () => move(tree.parent[f]!),
      ArrowDown: () => move(focused < 0 ? f : firstChild(tree, f)),
      ArrowLeft: () => move(previousSibling(tree, f)),
      ArrowRight: () => move(nextSibling(tree, f)),
      Enter: () => props.onZoom(f),
      ' ': () => props.onZoom(f),
      Escape: () => props.onBack(),
      Home: () => props.onZoom(0),
    };
    const k = keys[e.key];
    if (k === undefined) return;
    e.preventDefault();
    k();
  };

  // The same element while the frames in view and the highlight stay: a hover's re-render does not diff 200 items.
  const frameList = useMemo(
    () => (
      <ol class="visually-hidden" aria-label="Frames in view, widest first" data-testid="flame-frames">
        {listed.map((i) => {
          const f = tree.functions[tree.fn[i]!]!;
          return (
            <li key={i} data-name={f.name} data-total={tree.total[i]} data-self={tree.self[i]} data-depth={tree.depth[i]} data-match={props.highlight?.[tree.fn[i]!] === 1 ? 'true' : undefined}>
              {describe(tree, i, fmt)}
            </li>
          );
        })}
      </ol>
    ),
    [listed, props.highlight, tree, fmt],
  );
  const tipText = tip === null ? '' : describe(tree, tip.i, fmt);
  return (
    <div class="flame" ref={box}>
      <div
        class="flame-canvas"
        role="application"
        aria-roledescription="flame graph"
        aria-label="Flame graph: arrow keys move between frames, Enter zooms in, Escape goes back"
        aria-describedby="flame-focused"
        // biome-ignore lint/a11y/noNoninteractiveTabindex: an application region the arrow keys drive (a canvas graph has no native element); the live region names the focused frame
        tabIndex={0}
        onKeyDown={onKey}
        onBlur={() => setTip(null)}
      >
        <canvas ref={canvas} onPointerDown={onPointerDown} onPointerMove={onPointerMove} onPointerUp={onPointerUp} onPointerLeave={onLeave} onWheel={onWheel} />
      </div>
      {tip !== null && (
        <div class="flame-tip" role="tooltip" style={{ left: `${Math.max(0, Math.min(tip.x + 12, (renderer.current?.width ?? 0) - 260))}px`, top: `${tip.y + 14}px` }}>
          {tipText}
        </div>
      )}
      <p id="flame-focused" class="visually-hidden" aria-live="polite">
        {focused >= 0 ? describe(tree, focused, fmt) : ''}
      </p>
      {frameList}
    </div>
  );
}
