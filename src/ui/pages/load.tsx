import { useRef, useState } from 'preact/hooks';
import { LineChart } from '../components/chart.js';
import { useRefresh } from '../components/refresh.js';
import { useTopic } from '../conn.js';
import { bytes, ms } from '../format.js';
import { Page } from './common.js';

interface LoadColumns {
  interval: number;
  timestamps: number[];
  series: Record<string, number[]>;
}

/** Samples kept in the page while it is open (30 minutes at 1 s). */
const KEEP = 1800;
const WINDOWS = [
  [60, '1 min'],
  [300, '5 min'],
  [900, '15 min'],
  [1800, '30 min'],
] as const;

const C = ['#2f7ed8', '#e4572e', '#17a398', '#f2a541', '#8e5ea2', '#5c6b73'];

export function LoadPage(props: { node: string | undefined }): preact.JSX.Element {
  const [every, refresh] = useRefresh('load', 1000);
  const [windowSeconds, setWindow] = useState(300);
  const cols = useRef<LoadColumns>({ interval: 1000, timestamps: [], series: {} });
  const { data, error } = useTopic('load', { every, node: props.node }, (d, meta) => {
    const c = cols.current;
    if (!meta.append) {
      cols.current = { interval: d.interval, timestamps: [...d.timestamps], series: Object.fromEntries(Object.entries(d.series).map(([k, v]) => [k, [...v]])) };
      return;
    }
    c.timestamps.push(...d.timestamps);
    for (const [k, v] of Object.entries(d.series)) (c.series[k] ??= []).push(...v);
    const extra = c.timestamps.length - KEEP;
    if (extra > 0) {
      c.timestamps.splice(0, extra);
      for (const v of Object.values(c.series)) v.splice(0, extra);
    }
    // New arrays, so that the charts see a change.
    cols.current = { interval: c.interval, timestamps: [...c.timestamps], series: { ...c.series } };
  });
  const c = cols.current;
  const s = (k: string): number[] => c.series[k] ?? [];
  const pct = (v: number): string => `${v.toFixed(1)} %`;
  const chart = (title: string, series: { label: string; key: string; scale?: number }[], format: (v: number) => string) => (
    <LineChart
      title={title}
      timestamps={c.timestamps}
      windowSeconds={windowSeconds}
      format={format}
      series={series.map((x, i) => ({ label: x.label, color: C[i % C.length]!, values: x.scale === undefined ? s(x.key) : s(x.key).map((v) => v * x.scale!) }))}
    />
  );
  const controls = (
    <>
      <label>
        Window{' '}
        <select aria-label="Time window" value={String(windowSeconds)} onChange={(e) => setWindow(Number((e.target as HTMLSelectElement).value))}>
          {WINDOWS.map(([v, l]) => (
            <option value={String(v)}>{l}</option>
          ))}
        </select>
      </label>
      {refresh}
    </>
  );
  return (
    <Page title="Load charts" controls={controls} error={error} loading={data === undefined}>
      <p class="muted">
        {c.timestamps.length} samples, one every {c.interval / 1000} s; sampled only while someone watches.
      </p>
      <div class="charts">
        {chart('CPU', [{ label: 'user %', key: 'cpuUserPercent' }, { label: 'system %', key: 'cpuSystemPercent' }], pct)}
        {chart('Event-loop utilization', [{ label: 'utilization %', key: 'eventLoopUtilization', scale: 100 }], pct)}
        {chart('Event-loop delay', [{ label: 'p50', key: 'delayP50Ms' }, { label: 'p99', key: 'delayP99Ms' }, { label: 'max', key: 'delayMaxMs' }], ms)}
        {chart('Memory', [{ label: 'rss', key: 'rss' }, { label: 'heap used', key: 'heapUsed' }, { label: 'heap total', key: 'heapTotal' }, { label: 'external', key: 'external' }], bytes)}
        {chart('Garbage collection', [{ label: 'pause ms', key: 'gcPauseMs' }, { label: 'major ms', key: 'gcMajorMs' }, { label: 'minor ms', key: 'gcMinorMs' }, { label: 'collections', key: 'gcCount' }], (v) => v.toFixed(1))}
        {chart('Handles', [{ label: 'active resources', key: 'activeResources' }], (v) => v.toFixed(0))}
        {chart('I/O', [{ label: 'read/s', key: 'bytesReadPerSec' }, { label: 'written/s', key: 'bytesWrittenPerSec' }], (v) => `${bytes(v)}/s`)}
      </div>
    </Page>
  );
}
