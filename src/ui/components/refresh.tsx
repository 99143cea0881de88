import { useState } from 'preact/hooks';

const RATES: readonly number[] = [1000, 2000, 5000, 10_000, 30_000, 0];

const rateText = (v: number): string => (v === 0 ? 'paused' : `${v / 1000} s`);

function readStored(page: string): number | undefined {
  try {
    const v = Number(localStorage.getItem(`wobserver.refresh.${page}`) ?? Number.NaN);
    return Number.isFinite(v) && v >= 0 ? v : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A page's refresh rate, remembered per page. 0 is paused (read once).
 * Until one is picked the page's `fallback` applies, followed as it changes
 * (a custom page's own refresh arrives after the first render); the fallback
 * is always in the menu, marked "(default)".
 */
export function useRefresh(page: string, fallback: number): [number, preact.JSX.Element] {
  const [chosen, setChosen] = useState(() => readStored(page));
  const every = chosen ?? fallback;
  const rates = [...new Set([...RATES, fallback, every])].sort((a, b) => (a || Number.POSITIVE_INFINITY) - (b || Number.POSITIVE_INFINITY));
  const control = (
    <label class="refresh">
      <span class="refresh-label">Refresh</span>{' '}
      <select
        aria-label="Refresh rate"
        value={String(every)}
        onChange={(e) => {
          const v = Number((e.target as HTMLSelectElement).value);
          try {
            localStorage.setItem(`wobserver.refresh.${page}`, String(v));
          } catch {
            // No storage: the choice lasts while the page is open.
          }
          setChosen(v);
        }}
      >
        {rates.map((v) => (
          <option value={String(v)}>
            {rateText(v)}
            {v === fallback ? ' (default)' : ''}
          </option>
        ))}
      </select>
    </label>
  );
  return [every, control];
}
