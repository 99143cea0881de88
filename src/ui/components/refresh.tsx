import { useState } from 'preact/hooks';

const RATES = [
  [1000, '1 s'],
  [2000, '2 s'],
  [5000, '5 s'],
  [10_000, '10 s'],
  [30_000, '30 s'],
  [0, 'paused'],
] as const;

/** A page's refresh rate, remembered per page. 0 is paused (read once). */
export function useRefresh(page: string, fallback: number): [number, preact.JSX.Element] {
  const stored = Number(localStorage.getItem(`wobserver.refresh.${page}`) ?? Number.NaN);
  const [every, setEvery] = useState(Number.isFinite(stored) ? stored : fallback);
  const control = (
    <label class="refresh">
      Refresh{' '}
      <select
        aria-label="Refresh rate"
        value={String(every)}
        onChange={(e) => {
          const v = Number((e.target as HTMLSelectElement).value);
          localStorage.setItem(`wobserver.refresh.${page}`, String(v));
          setEvery(v);
        }}
      >
        {(RATES.some(([v]) => v === every) ? RATES : [...RATES, [every, `${every / 1000} s`] as const].sort((a, b) => (a[0] || Infinity) - (b[0] || Infinity))).map(([v, label]) => (
          <option value={String(v)}>{label}</option>
        ))}
      </select>
    </label>
  );
  return [every, control];
}
