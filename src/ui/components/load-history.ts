import { useRef } from 'preact/hooks';
import type { LoadColumns } from '../../client/index.js';
import { type TopicState, useTopic } from '../conn.js';

/**
 * The load topic's samples, kept in the page while it is shown (at most
 * `keep`, oldest dropped): the columns the server had, then what it appends.
 * Every page that charts the load (Load charts, System's trends, Memory's
 * chart) shares the server's one sampler this way; `every` is how often the
 * server sends what is new (a multiple of its sampling period).
 */
export function useLoadHistory(node: string | undefined, every: number | undefined, keep: number): { columns: LoadColumns; state: TopicState<LoadColumns> } {
  const cols = useRef<LoadColumns>({ interval: 1000, timestamps: [], series: {} as LoadColumns['series'] });
  const state = useTopic('load', { every, node }, (d, meta) => {
    const c = cols.current;
    if (!meta.append) {
      cols.current = trim({ interval: d.interval, timestamps: [...d.timestamps], series: copy(d.series) }, keep);
      return;
    }
    c.timestamps.push(...d.timestamps);
    for (const [k, v] of Object.entries(d.series) as [keyof LoadColumns['series'], number[]][]) (c.series[k] ??= []).push(...v);
    // New arrays, so that the charts see a change.
    cols.current = trim({ interval: c.interval, timestamps: [...c.timestamps], series: { ...c.series } }, keep);
  });
  return { columns: cols.current, state };
}

function copy(series: LoadColumns['series']): LoadColumns['series'] {
  return Object.fromEntries(Object.entries(series).map(([k, v]) => [k, [...v]])) as LoadColumns['series'];
}

function trim(c: LoadColumns, keep: number): LoadColumns {
  const extra = c.timestamps.length - keep;
  if (extra > 0) {
    c.timestamps.splice(0, extra);
    for (const v of Object.values(c.series)) v.splice(0, extra);
  }
  return c;
}
