import { useEffect, useState } from 'preact/hooks';
import type { SystemInfo } from '../../client/index.js';
import { Kv } from '../components/kv.js';
import { useLoadHistory } from '../components/load-history.js';
import { useRefresh } from '../components/refresh.js';
import { Sparkline } from '../components/sparkline.js';
import { NEAR_LIMIT, UsageBar } from '../components/usage-bar.js';
import { useTopic } from '../conn.js';
import { bytes, date, ms, num, plain, seconds } from '../format.js';
import { Card, Page } from './common.js';
import './system.css';

/** The trends: the last five minutes of load samples, sent every 5 s while the page is shown. */
const TREND_SAMPLES = 300;
const TREND_EVERY = 5000;

/** Home: the overview read in five seconds — usage against every limit, the load figures with their trend — then the details. */
export function SystemPage(props: { node: string | undefined }): preact.JSX.Element {
  const [every, refresh] = useRefresh('system', 2000);
  const { data: s, error } = useTopic('system', { every, node: props.node });
  // Every second until the sampler (started by this subscription) has a sample, so the figures fill at once; then every TREND_EVERY.
  const [filled, setFilled] = useState(false);
  const { columns: load } = useLoadHistory(props.node, filled ? TREND_EVERY : 1000, TREND_SAMPLES);
  useEffect(() => {
    if (!filled && load.timestamps.length > 0) setFilled(true);
  }, [load.timestamps.length, filled]);
  const trend = (k: keyof typeof load.series, scale = 1): number[] => (load.series[k] ?? []).map((v) => v * scale);
  const cpu = trend('cpuUserPercent').map((v, i) => v + (load.series.cpuSystemPercent?.[i] ?? 0));
  const pct = (v: number): string => `${v.toFixed(1)} %`;
  return (
    <Page title="System" controls={refresh} error={error} loading={s === undefined}>
      {s && (
        <>
          {s.warnings.length > 0 && (
            <ul class="warnings" role="alert">
              {s.warnings.map((w) => (
                <li>{w}</li>
              ))}
            </ul>
          )}
          <div class="figures">
            <Figure id="cpu" label="CPU" values={cpu} format={pct} note="user + system, of one core" />
            <Figure id="elu" label="Event-loop utilization" values={trend('eventLoopUtilization', 100)} format={pct} note="share of time the loop was busy" />
            <Figure id="delay" label="Event-loop delay p99" values={trend('delayP99Ms')} format={ms} note="how late timers ran" />
          </div>
          <div class="cards">
            <Card title="Usage against limits">
              <Usage s={s} />
            </Card>
            <Card title="Process">
              <Kv
                rows={[
                  ['PID', plain(s.process.pid)],
                  ['Parent PID', plain(s.process.ppid)],
                  ['Started', date(s.process.startTime)],
                  ['Uptime', seconds(s.process.uptimeSeconds)],
                  ['Command', <code class="wrap">{s.process.argv.join(' ')}</code>],
                  ['Node flags', s.process.execArgv.join(' ') || '–'],
                  ['Working folder', <code class="wrap">{s.process.cwd}</code>],
                ]}
              />
            </Card>
            <Card title="Runtime and machine">
              <Kv
                rows={[
                  ['Node.js', s.versions.node],
                  ['V8', s.versions.v8],
                  ['Platform', `${s.platform.type} ${s.platform.release} (${s.platform.arch})`],
                  ['Host', s.platform.hostname],
                  ['CPU', s.cpu.model],
                  ['Cores', `${s.cpu.count} (${s.cpu.availableParallelism} available)`],
                  ['Speed', speed(s.cpu.speedMHz)],
                  ['Load average', s.os.loadAverage.map((x) => x.toFixed(2)).join(' · ')],
                  ['Machine memory', `${bytes(s.os.totalMemory - s.os.freeMemory)} used of ${bytes(s.os.totalMemory)}`],
                  ['Machine uptime', seconds(s.os.uptimeSeconds)],
                ]}
              />
            </Card>
          </div>
          <details class="card versions">
            <summary>
              <h2>Versions</h2> <span class="muted">Node.js {s.versions.node} and {Object.keys(s.versions).length - 1} bundled libraries</span>
            </summary>
            <Kv label="versions" rows={Object.entries(s.versions).map(([k, v]) => [k, v])} />
          </details>
        </>
      )}
    </Page>
  );
}

/** A CPU's clock; some VMs report 0, which is not a speed. */
export function speed(mhz: number): string {
  return mhz > 0 ? `${num(mhz)} MHz` : 'unknown';
}

function Usage(props: { s: SystemInfo }): preact.JSX.Element {
  const { memory: m, limits, activity, cpu } = props.s;
  const files = limits.openFiles;
  const handles = Object.values(activity.activeResources).reduce((a, b) => a + b, 0);
  const top = Object.entries(activity.activeResources)
    .sort((a, b) => b[1] - a[1])
    .slice(0, 3)
    .map(([k, v]) => `${k} ${num(v)}`)
    .join(', ');
  return (
    <>
      <UsageBar id="memory" label="Memory (RSS)" used={m.rss} limit={m.limit.bytes} format={bytes} source={m.limit.source === 'os' ? 'machine memory' : `${m.limit.source} limit`} />
      <UsageBar id="heap" label="Heap used" used={m.heapUsed} limit={m.heapSizeLimit} format={bytes} source="heap size limit" />
      {files !== null && <UsageBar id="files" label="Open files" used={files.open} limit={files.soft ?? undefined} format={num} source={files.soft === null ? 'no limit' : 'ulimit -n'} />}
      <UsageBar id="handles" label="Active handles" used={handles} format={num} source={top || undefined} />
      <UsageBar id="threadpool" label="libuv thread pool" used={cpu.threadPoolSize} format={(v) => `${v} threads`} source="UV_THREADPOOL_SIZE; how many are busy is not measurable from JavaScript" />
      <p class="muted small">Bars turn orange from {NEAR_LIMIT * 100} % of their limit.</p>
    </>
  );
}

/** A big figure, its trend over the last minutes and that trend's range. */
function Figure(props: { id: string; label: string; values: number[]; format: (v: number) => string; note: string }): preact.JSX.Element {
  const last = props.values[props.values.length - 1];
  return (
    <div class="figure card" data-testid={`figure-${props.id}`}>
      <div class="figure-label">{props.label}</div>
      <div class="figure-value" data-testid="figure-value">
        {last === undefined ? '–' : props.format(last)}
      </div>
      <Sparkline values={props.values} width={160} height={32} label={`${props.label}, last ${Math.round(props.values.length)} samples`} scale={props.format} />
      <div class="muted small">{props.note}</div>
    </div>
  );
}
