import { useState } from 'preact/hooks';
import type { LoadSeriesName } from '../../client/index.js';
import { COLORS, LineChart } from '../components/chart.js';
import { useLoadHistory } from '../components/load-history.js';
import { useRefresh } from '../components/refresh.js';
import type { AxisKind } from '../components/ticks.js';
import { bytes, ms, num } from '../format.js';
import { Page } from './common.js';

/** Samples kept in the page while it is open (30 minutes at 1 s). */
const KEEP = 1800;
const WINDOWS = [
  [60, '1 min'],
  [300, '5 min'],
  [900, '15 min'],
  [1800, '30 min'],
] as const;


interface Line {
  label: string;
  key: LoadSeriesName;
  scale?: number;
  right?: boolean;
}

export function LoadPage(props: { node: string | undefined }): preact.JSX.Element {
  const [every, refresh] = useRefresh('load', 1000);
  const [windowSeconds, setWindow] = useState(300);
  const { columns: c, state } = useLoadHistory(props.node, every, KEEP);
  const pct = (v: number): string => `${v.toFixed(1)} %`;
  const chart = (title: string, lines: Line[], kind: AxisKind, format: (v: number) => string, right?: { kind: AxisKind; format: (v: number) => string }) => (
    <LineChart
      title={title}
      timestamps={c.timestamps}
      windowSeconds={windowSeconds}
      kind={kind}
      format={format}
      {...(right ? { rightKind: right.kind, rightFormat: right.format } : {})}
      series={lines.map((x, i) => {
        const values = c.series[x.key] ?? [];
        return { label: x.label, color: COLORS[i % COLORS.length]!, right: x.right === true, values: x.scale === undefined ? values : values.map((v) => v * x.scale!) };
      })}
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
    <Page title="Load charts" controls={controls} error={state.error} loading={state.data === undefined}>
      <p class="muted">
        {c.timestamps.length} samples, one every {c.interval / 1000} s; sampled only while someone watches.
      </p>
      <div class="charts">
        {chart('CPU', [{ label: 'user', key: 'cpuUserPercent' }, { label: 'system', key: 'cpuSystemPercent' }], 'percent', pct)}
        {chart('Event-loop utilization', [{ label: 'utilization', key: 'eventLoopUtilization', scale: 100 }], 'percent', pct)}
        {chart('Event-loop delay', [{ label: 'p50', key: 'delayP50Ms' }, { label: 'p99', key: 'delayP99Ms' }, { label: 'max', key: 'delayMaxMs' }], 'ms', ms)}
        {chart('Memory', [{ label: 'RSS', key: 'rss' }, { label: 'heap used', key: 'heapUsed' }, { label: 'heap total', key: 'heapTotal' }, { label: 'external', key: 'external' }], 'bytes', bytes)}
        {chart(
          'Garbage collection',
          [{ label: 'pause', key: 'gcPauseMs' }, { label: 'major', key: 'gcMajorMs' }, { label: 'minor', key: 'gcMinorMs' }, { label: 'collections (right)', key: 'gcCount', right: true }],
          'ms',
          ms,
          { kind: 'count', format: (v) => num(Math.round(v)) },
        )}
        {chart('Handles', [{ label: 'active resources', key: 'activeResources' }], 'count', (v) => num(Math.round(v)))}
        {chart('I/O', [{ label: 'read', key: 'bytesReadPerSec' }, { label: 'written', key: 'bytesWrittenPerSec' }], 'bytesPerSecond', (v) => `${bytes(v)}/s`)}
      </div>
    </Page>
  );
}
