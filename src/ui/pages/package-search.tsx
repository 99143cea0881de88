import { useMemo, useState } from 'preact/hooks';

/** The diagram's search: what was typed, the ids that match, which of them is in view. */
export interface Search {
  text: string;
  setText: (text: string) => void;
  matches: ReadonlySet<string>;
  /** The match brought into view, or undefined. */
  current: string | undefined;
  /** 0-based place of `current` among the matches. */
  index: number;
  count: number;
  /** Steps to the next (+1) or previous (−1) match, round. */
  step: (by: 1 | -1) => void;
  /** Changes with every request to bring `current` into view. */
  seq: number;
}

/** Searches `ids` for the typed text (case-insensitive, anywhere in `name@version`). */
export function useSearch(ids: readonly string[]): Search {
  const [text, setRaw] = useState('');
  const [index, setIndex] = useState(0);
  const [seq, setSeq] = useState(0);
  const needle = text.trim().toLowerCase();
  const list = useMemo(() => (needle === '' ? [] : ids.filter((id) => id.toLowerCase().includes(needle))), [ids, needle]);
  const matches = useMemo(() => new Set(list), [list]);
  const at = list.length === 0 ? 0 : Math.min(index, list.length - 1);
  return {
    text,
    setText: (t) => {
      setRaw(t);
      setIndex(0);
      setSeq((s) => s + 1);
    },
    matches,
    current: list[at],
    index: at,
    count: list.length,
    step: (by) => {
      if (list.length === 0) return;
      setIndex((at + by + list.length) % list.length);
      setSeq((s) => s + 1);
    },
    seq,
  };
}

/** The search box, its previous/next buttons (Enter and Shift+Enter too), and what it found. */
export function PackageSearch(props: { search: Search }): preact.JSX.Element {
  const s = props.search;
  const trimmed = s.text.trim();
  return (
    <div class="package-search">
      <input
        type="search"
        placeholder="Find a package"
        aria-label="Find a package"
        value={s.text}
        onInput={(e) => s.setText((e.target as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            s.step(e.shiftKey ? -1 : 1);
          }
        }}
      />
      <button type="button" aria-label="Previous match" title="Previous match (Shift+Enter)" disabled={s.count < 2} onClick={() => s.step(-1)}>
        ↑
      </button>
      <button type="button" aria-label="Next match" title="Next match (Enter)" disabled={s.count < 2} onClick={() => s.step(1)}>
        ↓
      </button>
      <span class="muted search-status" role="status" data-testid="search-status">
        {trimmed === '' ? '' : s.count === 0 ? `no package matches “${trimmed}”` : `${s.index + 1} of ${s.count}: ${s.current}`}
      </span>
    </div>
  );
}
