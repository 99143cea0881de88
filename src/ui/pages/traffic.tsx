import { useMemo } from 'preact/hooks';
import type { InboundRoute, OutboundHost, SlowRoute, TrafficInfo, TrafficWindow } from '../../client/index.js';
import { COLORS, LineChart } from '../components/chart.js';
import { useRefresh } from '../components/refresh.js';
import { type Column, DataTable } from '../components/table.js';
import { useTopic } from '../conn.js';
import { bytes, ms, num, percent, seconds } from '../format.js';
import { href } from '../router.js';
import { Card, Page } from './common.js';
import { codeList, parseRouteArg, routeArg, trafficColumns } from './traffic-series.js';
import './traffic.css';

/** Closed windows a node keeps in a history (the runtime's TRAFFIC_HISTORY). */
const HISTORY_WINDOWS = 60;

/** The window a row's live numbers come from: the last closed one when it saw requests, else the one open now. */
const live = (r: { last: TrafficWindow | null; current: TrafficWindow }): TrafficWindow => (r.last !== null && r.last.count > 0 ? r.last : r.current);

function Figure(props: { id: string; label: string; value: string; note?: string; warn?: boolean }): preact.JSX.Element {
  return (
    <div class={`card tr-figure${props.warn ? ' warn' : ''}`} data-testid={`tr-${props.id}`}>
      <div class="tr-figure-label">{props.label}</div>
      <div class="tr-figure-value">{props.value}</div>
      {props.note !== undefined && <div class="muted tr-small">{props.note}</div>}
    </div>
  );
}

function Codes(props: { codes: Readonly<Record<string, number>> }): preact.JSX.Element {
  const list = codeList(props.codes);
  if (list.length === 0) return <span class="muted">–</span>;
  return (
    <span class="tr-codes">
      {list.map(([code, n]) => (
        <span class={`tr-code c${code.charAt(0)}`} title={`${n} responses with status ${code}`}>
          {code}×{num(n)}
        </span>
      ))}
    </span>
  );
}

const ROUTE_COLUMNS: Column<InboundRoute>[] = [
  { key: 'method', title: 'Method', width: '5.5em' },
  { key: 'route', title: 'Route', render: (r) => <code class="tr-clip" title={`${r.route} (${r.source})`}>{r.route}</code> },
  { key: 'count', title: 'Requests', width: '6.5em', align: 'right', value: (r) => r.totals.count, render: (r) => num(r.totals.count) },
  { key: 'rps', title: 'Req/s', width: '5em', align: 'right', value: (r) => live(r).rps, render: (r) => num(live(r).rps) },
  { key: 'errors', title: '5xx', width: '4.5em', align: 'right', priority: 2, value: (r) => r.totals.errors, render: (r) => <span class={r.totals.errors > 0 ? 'error' : ''}>{num(r.totals.errors)}</span> },
  { key: 'p50', title: 'p50', width: '5.5em', align: 'right', priority: 2, value: (r) => live(r).p50Ms, render: (r) => ms(live(r).p50Ms) },
  { key: 'p95', title: 'p95', width: '5.5em', align: 'right', value: (r) => live(r).p95Ms, render: (r) => ms(live(r).p95Ms) },
  { key: 'p99', title: 'p99', width: '5.5em', align: 'right', priority: 3, value: (r) => live(r).p99Ms, render: (r) => ms(live(r).p99Ms) },
  { key: 'codes', title: 'Status codes', priority: 3, value: (r) => codeList(r.statusCodes).map(([c]) => c).join(' '), render: (r) => <Codes codes={r.statusCodes} /> },
];

/** The slowest routes: a short list (at most 10), a plain table without the search and sort of the big ones. */
function Slowest(props: { rows: readonly SlowRoute[]; onOpen: (r: SlowRoute) => void }): preact.JSX.Element {
  return (
    <table class="data tr-slow" data-testid="tr-slowest">
      <thead>
        <tr>
          <th scope="col">Route</th>
          <th scope="col" class="right">
            p95
          </th>
          <th scope="col" class="right">
            Longest
          </th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((r) => (
          <tr>
            <td>
              <a
                class="tr-clip"
                href={href('traffic', routeArg(r.method, r.route))}
                title={`${routeArg(r.method, r.route)}: p99 ${ms(r.p99Ms)}, ${r.count} requests in the ${r.window === 'last' ? 'last' : 'open'} window`}
                onClick={(e) => {
                  e.preventDefault();
                  props.onOpen(r);
                }}
              >
                {routeArg(r.method, r.route)}
                {r.window === 'current' ? ' *' : ''}
              </a>
            </td>
            <td class="right">{ms(r.p95Ms)}</td>
            <td class="right">{ms(r.maxMs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const HOST_COLUMNS: Column<OutboundHost>[] = [
  { key: 'host', title: 'Host', render: (h) => <code class="tr-clip">{h.host}</code> },
  { key: 'count', title: 'Requests', width: '6.5em', align: 'right', value: (h) => h.totals.count, render: (h) => num(h.totals.count) },
  { key: 'rps', title: 'Req/s', width: '5em', align: 'right', value: (h) => live(h).rps, render: (h) => num(live(h).rps) },
  { key: 'p95', title: 'p95', width: '5.5em', align: 'right', value: (h) => live(h).p95Ms, render: (h) => ms(live(h).p95Ms) },
  {
    key: 'classes',
    title: 'Responses',
    priority: 2,
    value: (h) => h.statusClasses['2xx'],
    render: (h) => <Codes codes={Object.fromEntries(Object.entries(h.statusClasses).filter(([, n]) => n > 0))} />,
  },
  {
    key: 'errors',
    title: 'Failed',
    value: (h) => h.totals.errors,
    render: (h) =>
      h.totals.errors === 0 ? (
        '0'
      ) : (
        <span class="error" title={codeList(h.errorCodes).map(([c, n]) => `${c}: ${n}`).join('\n')}>
          {codeList(h.errorCodes)
            .map(([c, n]) => `${c}×${n}`)
            .join(' ')}
        </span>
      ),
  },
  { key: 'methods', title: 'Methods', priority: 3, value: (h) => codeList(h.methods).map(([m, n]) => `${m} ${n}`).join(', ') },
];

/** The two charts of one history: requests (and 5xx) a second, and the percentiles of the durations. */
function HistoryCharts(props: { info: TrafficInfo; points: TrafficInfo['inbound']['history']; open: TrafficWindow | undefined; what: string }): preact.JSX.Element {
  const c = useMemo(() => trafficColumns(props.points, props.info.windowMs, props.open), [props.points, props.info.windowMs, props.open]);
  if (c.timestamps.length === 0) {
    return (
      <p class="muted" data-testid="tr-no-history">
        The charts fill as windows close: one point per {seconds(props.info.windowMs / 1000)} window that saw requests, the last 60 kept.
      </p>
    );
  }
  // uPlot draws null as a gap: a window without responses has no percentiles.
  const gaps = (v: (number | null)[]): number[] => v as number[];
  // The axis spans what the history holds, 12 windows (2 minutes by default) at least and the 60 kept at most.
  const held = (c.timestamps.at(-1)! - c.timestamps[0]!) / props.info.windowMs;
  const span = (Math.min(HISTORY_WINDOWS, Math.max(12, Math.ceil(held) + 1)) * props.info.windowMs) / 1000;
  return (
    <div class="tr-charts">
      <LineChart
        title={`Requests a second, ${props.what}`}
        timestamps={c.timestamps}
        windowSeconds={span}
        kind="perSecond"
        format={(v) => `${num(v)}/s`}
        series={[
          { label: 'requests', values: c.rps, color: COLORS[0]! },
          { label: '5xx / failed', values: c.errorsPerSecond, color: COLORS[1]! },
        ]}
      />
      <LineChart
        title={`Duration, ${props.what}`}
        timestamps={c.timestamps}
        windowSeconds={span}
        kind="ms"
        format={ms}
        series={[
          { label: 'p50', values: gaps(c.p50), color: COLORS[2]! },
          { label: 'p95', values: gaps(c.p95), color: COLORS[3]! },
          { label: 'p99', values: gaps(c.p99), color: COLORS[1]! },
        ]}
      />
    </div>
  );
}

/**
 * The Traffic page: what the process served per route and asked of other
 * hosts, live (pushed every 2 s): figures for the last window, charts of the
 * last 60 windows (all routes, or the route opened: `#/traffic/<METHOD route>`),
 * the routes, the slowest, status codes, and outbound per host.
 */
export function TrafficPage(props: { node: string | undefined; selected: string | undefined }): preact.JSX.Element {
  const [every, refresh] = useRefresh('traffic', 2000);
  const picked = parseRouteArg(props.selected);
  const { data: info, error } = useTopic('traffic', { every, node: props.node, params: picked ?? {}, keep: true });
  const open = (r: { method: string; route: string }): void => {
    location.hash = href('traffic', routeArg(r.method, r.route));
  };
  const inbound = info?.inbound;
  const w = inbound ? live(inbound) : undefined;
  const errorRate = w && w.count > 0 ? w.errors / w.count : null;
  return (
    <Page title="Traffic" controls={refresh} error={error} loading={info === undefined}>
      {info && inbound && w && (
        <>
          {!info.enabled && (
            <div class="card notice" data-testid="tr-off">
              <strong>Traffic is not tracked on this node</strong>: the option <code>traffic.enabled</code> is false.
            </div>
          )}
          <div class="tr-figures">
            <Figure id="rps" label="Requests a second" value={num(w.rps)} note={`over the ${inbound.last !== null && inbound.last.count > 0 ? 'last' : 'open'} ${seconds(info.windowMs / 1000)} window`} />
            <Figure id="errors" label="Error rate (5xx)" value={percent(errorRate)} warn={errorRate !== null && errorRate > 0} note={`${num(w.errors)} of ${num(w.count)}`} />
            <Figure id="p95" label="p95, all routes" value={ms(w.p95Ms)} note={`p50 ${ms(w.p50Ms)} · p99 ${ms(w.p99Ms)}`} />
            <Figure id="total" label="Served" value={num(inbound.totals.count)} note={`${bytes(inbound.totals.bytes)} sent · ${num(inbound.routes.length)} routes`} />
            <Figure id="outbound" label="Requests made" value={num(info.outbound.totals.count)} note={`${num(info.outbound.totals.errors)} failed · ${num(info.outbound.hosts.length)} hosts`} warn={info.outbound.totals.errors > 0} />
          </div>
          <Card title={picked ? `Over time: ${routeArg(picked.method, picked.route)}` : 'Over time: all routes'} wide>
            {picked && (
              <a class="tr-close" href={href('traffic')}>
                All routes
              </a>
            )}
            {picked && info.route === null ? (
              <p class="muted">This route has not been served on this node (or was counted under (overflow)).</p>
            ) : (
              <HistoryCharts
                info={info}
                points={picked && info.route ? info.route.history : inbound.history}
                open={picked ? inbound.routes.find((r) => r.method === picked.method && r.route === picked.route)?.current : inbound.current}
                what={picked ? picked.route : 'all routes'}
              />
            )}
          </Card>
          <div class="tr-grid">
            <Card title={`Routes (${inbound.routes.length}${inbound.overflowed > 0 ? `, ${num(inbound.overflowed)} requests past ${inbound.maxRoutes} under (overflow)` : ''})`}>
              {inbound.routes.length === 0 ? (
                <p class="muted" data-testid="tr-no-routes">
                  No request served yet. Every request of this process's HTTP servers is counted here, by its framework's route (Express, Fastify, Koa, NestJS) or its path with ids as <code>:id</code>.
                </p>
              ) : (
                <DataTable label="routes" rows={inbound.routes} rowKey={(r) => routeArg(r.method, r.route)} selected={props.selected} onRow={open} defaultSort={{ key: 'count', desc: true }} columns={ROUTE_COLUMNS} />
              )}
            </Card>
            <div class="tr-side">
              <Card title="Slowest routes (p95)">
                {inbound.slowest.length === 0 ? <p class="muted">–</p> : <Slowest rows={inbound.slowest} onOpen={open} />}
                {inbound.slowest.some((r) => r.window === 'current') && <p class="muted tr-small">* from the window still open: no closed window of it saw requests.</p>}
              </Card>
              <Card title="Status codes">
                <dl class="tr-kv" data-testid="tr-status">
                  <dt>Now ({seconds(w.ms / 1000)})</dt>
                  <dd>
                    <Codes codes={w.statusCodes} />
                  </dd>
                  <dt>Since {seconds(info.since === null ? 0 : (Date.now() - info.since) / 1000)}</dt>
                  <dd>
                    <Codes codes={inbound.statusCodes} />
                  </dd>
                </dl>
              </Card>
            </div>
          </div>
          <Card title={`Outbound, per host (${info.outbound.hosts.length})`} wide>
            {info.outbound.hosts.length === 0 ? (
              <p class="muted" data-testid="tr-no-hosts">
                No request made yet. Requests through <code>http.request</code>, <code>https.request</code>, <code>fetch</code> and undici are counted here per destination host.
              </p>
            ) : (
              <DataTable label="hosts" rows={info.outbound.hosts} rowKey={(h) => h.host} defaultSort={{ key: 'count', desc: true }} columns={HOST_COLUMNS} />
            )}
          </Card>
          {(info.faults.internal > 0 || info.faults.routeOf > 0) && (
            <p class="muted tr-small" data-testid="tr-faults">
              wobserver's own faults (the application saw none): {num(info.faults.internal)} internal, {num(info.faults.routeOf)} in <code>routeOf</code>
              {info.faults.lastMessage !== null && <>; the latest: {info.faults.lastMessage}</>}
            </p>
          )}
        </>
      )}
    </Page>
  );
}
