import { useEffect, useMemo, useRef } from 'preact/hooks';
import type { BlockEvent, CustomPageInfo, EventLoopInfo, StackGroup } from '../../client/index.js';
import { useRefresh } from '../components/refresh.js';
import { type Column, DataTable } from '../components/table.js';
import { useTopic } from '../conn.js';
import { date, ms, num } from '../format.js';
import { href } from '../router.js';
import { Card, Page } from './common.js';
import { EventDetail, GroupDetail } from './eventloop-detail.js';
import { BlockTimeline } from './eventloop-timeline.js';
import { durationOf, eventArg, eventWhat, frameText, groupArg, parseSelection, scriptPath, topFrame } from './eventloop-words.js';
import './eventloop.css';

/** The custom page (API only) through which the demo says where its `/block` route is (src/demo/service.ts). */
const DEMO_BLOCK_PAGE = 'demo-block';

const clock = (t: number): string => date(t).slice(11);
/** Threads named in the "Threads watched" figure; more are counted. */
const THREADS_LISTED = 6;

function Figure(props: { id: string; label: string; value: string; note?: preact.ComponentChildren; warn?: boolean }): preact.JSX.Element {
  return (
    <div class={`card el-figure${props.warn ? ' warn' : ''}`} data-testid={`el-${props.id}`}>
      <div class="el-figure-label">{props.label}</div>
      <div class="el-figure-value">{props.value}</div>
      {props.note !== undefined && <div class="muted small">{props.note}</div>}
    </div>
  );
}

function TopCell(props: { stack: StackGroup['stack'] | null; text: string }): preact.JSX.Element {
  const f = topFrame(props.stack);
  return (
    <code class="clip" title={f === undefined ? props.text : `${props.text}\n${scriptPath((f.source ?? f).url)}`}>
      {props.text}
    </code>
  );
}

const GROUP_COLUMNS: Column<StackGroup>[] = [
  { key: 'top', title: 'Top frame', value: (g) => frameText(topFrame(g.stack)), render: (g) => <TopCell stack={g.stack} text={frameText(topFrame(g.stack))} /> },
  { key: 'count', title: 'Blocks', width: '5em', align: 'right' },
  { key: 'totalMs', title: 'Total', width: '5.5em', align: 'right', render: (g) => ms(g.totalMs) },
  { key: 'maxMs', title: 'Longest', width: '6em', align: 'right', priority: 2, render: (g) => ms(g.maxMs) },
  { key: 'lastAt', title: 'Last', width: '6.5em', priority: 2, render: (g) => <span title={date(g.lastAt)}>{clock(g.lastAt)}</span> },
  { key: 'thread', title: 'Thread', width: '7em', priority: 2, value: (g) => g.thread.name },
];

function eventColumns(info: EventLoopInfo, now: number): Column<BlockEvent>[] {
  return [
    { key: 'id', title: '#', width: '4em', align: 'right' },
    { key: 'startedAt', title: 'Started', width: '6.5em', priority: 3, render: (e) => <span title={date(e.startedAt)}>{clock(e.startedAt)}</span> },
    { key: 'durationMs', title: 'Lasted', width: '6.5em', align: 'right', value: (e) => durationOf(e, now), render: (e) => (e.durationMs === null ? <span class="error">{ms(durationOf(e, now))}…</span> : ms(e.durationMs)) },
    { key: 'thread', title: 'Thread', width: '7em', priority: 2, value: (e) => e.thread.name },
    { key: 'what', title: 'Stack', value: (e) => eventWhat(e, info.limits), render: (e) => (e.stack === null ? <span class="clip muted" title={eventWhat(e, info.limits)}>{eventWhat(e, info.limits)}</span> : <TopCell stack={e.stack} text={eventWhat(e, info.limits)} />) },
  ];
}

function watchdogState(i: EventLoopInfo): { value: string; note: string; warn: boolean } {
  if (!i.enabled) return { value: 'Off', note: i.why ?? 'the watchdog does not run', warn: true };
  if (i.capture === 'stacks') return { value: 'Watching', note: 'blocks are captured with their stack', warn: false };
  return { value: 'Durations only', note: i.why ?? 'blocks are counted without their stack', warn: true };
}

/** On the demo (it has the API-only page `demo-block`), the route that blocks its loop, read from that page so the link has the demo's own address. */
function DemoHint(props: { node: string | undefined; pages: readonly CustomPageInfo[] | undefined }): preact.JSX.Element | null {
  const isDemo = props.pages?.some((p) => p.command === DEMO_BLOCK_PAGE) ?? false;
  const { data: demo } = useTopic('pages', { params: { command: DEMO_BLOCK_PAGE }, every: 0, node: props.node, skip: !isDemo });
  if (!isDemo) return null;
  const data = demo?.ok ? (demo.data as { route?: unknown; worker?: unknown }) : {};
  const route = typeof data.route === 'string' ? data.route : undefined;
  const worker = typeof data.worker === 'string' ? data.worker : undefined;
  return (
    <p class="el-demo" data-testid="el-demo">
      This is the demo: {route === undefined ? <code>/block?ms=300</code> : <a href={route}>{route}</a>} on its application's address blocks the event loop for 300 ms in <code>blockTheEventLoop()</code>
      {worker !== undefined && (
        <>
          , <a href={worker}>…&amp;thread=worker</a> a worker thread's in <code>blockTheWorkerLoop()</code>
        </>
      )}
      ; the block appears here within 2 s.
    </p>
  );
}

/** No block yet: since when, and over what threshold; or, with the watchdog off, that nothing is watched. */
function Empty(props: { info: EventLoopInfo; node: string | undefined; children?: preact.ComponentChildren }): preact.JSX.Element {
  const { data: system } = useTopic('system', { every: 0, node: props.node, skip: !props.info.enabled });
  return (
    <div class="card notice el-empty" data-testid="el-empty">
      {props.info.enabled ? (
        <p>
          <strong>No blocks since {system ? date(system.process.startTime) : 'the process started'}</strong>: no thread has held its event loop for longer than {ms(props.info.thresholdMs)}.
        </p>
      ) : (
        <p>
          <strong>The watchdog is off</strong>
          {props.info.why ? ` (${props.info.why})` : ''}: blocks are not watched on this node. It runs unless the option <code>eventLoop.enabled</code> is false.
        </p>
      )}
      {props.children}
    </div>
  );
}

/**
 * The Event loop page: the watchdog's state and totals, the timeline of the
 * latest blocks, the stacks grouped by signature (most blocked time first),
 * the latest blocks; a group or a block opens beside them, its key in the URL
 * (`#/eventloop/g:<signature>`, `#/eventloop/e:<id>`). Live: pushed every 2 s.
 */
export function EventLoopPage(props: { node: string | undefined; selected: string | undefined; pages?: readonly CustomPageInfo[] | undefined }): preact.JSX.Element {
  const [every, refresh] = useRefresh('eventloop', 2000);
  const { data: info, error, at } = useTopic('eventloop', { every, node: props.node });
  const now = at || Date.now();
  const selection = parseSelection(props.selected);
  const events = useMemo(() => (info ? [...info.events].reverse() : []), [info]);
  const columns = useMemo(() => (info ? eventColumns(info, now) : []), [info, now]);
  const side = useRef<HTMLDivElement>(null);
  const open = (arg: string): void => {
    location.hash = href('eventloop', arg);
  };
  // On a narrow screen the detail is under the tables: bring it into view when a row opens it.
  useEffect(() => {
    if (props.selected !== undefined && matchMedia('(max-width: 800px)').matches) side.current?.scrollIntoView({ block: 'start' });
  }, [props.selected]);
  const state = info ? watchdogState(info) : undefined;
  const group = selection?.kind === 'group' ? info?.groups.find((g) => g.signature === selection.signature) : undefined;
  const event = selection?.kind === 'event' ? info?.events.find((e) => e.id === selection.id) : undefined;
  const blocked = info?.threads.filter((t) => t.blockedMs !== null) ?? [];
  // The blocked ones first; a process of many workers lists a few and counts the rest.
  const threadsShown = [...blocked, ...(info?.threads.filter((t) => t.blockedMs === null) ?? [])].slice(0, THREADS_LISTED);
  return (
    <Page title="Event loop" controls={refresh} error={error} loading={info === undefined}>
      {info && state && (
        <>
          <div class="el-figures">
            <Figure id="state" label="Watchdog" value={state.value} note={state.note} warn={state.warn} />
            <Figure id="threshold" label="Threshold" value={ms(info.thresholdMs)} note="a loop still for longer is a block" />
            <Figure id="blocks" label="Blocks" value={num(info.totals.blocks)} note={`${ms(info.totals.blockedMs)} blocked in all`} />
            <Figure
              id="captured"
              label="With a stack"
              value={num(info.totals.captured)}
              note={`${num(info.totals.uncaptured)} without · ${num(info.totals.dropped)} dropped from the ring`}
            />
            <Figure
              id="threads"
              label="Threads watched"
              value={num(info.threads.length)}
              warn={blocked.length > 0}
              note={
                <ul class="el-threads">
                  {threadsShown.map((t) => (
                    <li class={t.blockedMs === null ? '' : 'error'}>
                      {t.name}
                      {t.blockedMs === null ? '' : `: blocked now, ${ms(t.blockedMs)}`}
                    </li>
                  ))}
                  {info.threads.length > threadsShown.length && <li>and {info.threads.length - threadsShown.length} more</li>}
                </ul>
              }
            />
          </div>
          {info.totals.blocks === 0 && info.events.length === 0 ? (
            <Empty info={info} node={props.node}>
              <DemoHint node={props.node} pages={props.pages} />
            </Empty>
          ) : (
            <Card title="Timeline of blocks" wide>
              <DemoHint node={props.node} pages={props.pages} />
              <BlockTimeline info={info} now={now} onOpen={(e) => open(eventArg(e.id))} />
            </Card>
          )}
          {!selection && <p class="muted">Open a group or a block for its full stack: every frame with file, line and column, and the original position when source maps apply.</p>}
          {/* Tables across the page until a row is opened; then its detail beside them (below on a narrow screen). */}
          <div class={`el-page${selection ? ' split' : ''}`}>
            <div class="el-tables">
              <Card title={`Stacks, grouped (${info.groups.length})`}>
                <DataTable label="stack groups" rows={info.groups} rowKey={(g) => groupArg(g.signature)} selected={props.selected} onRow={(g) => open(groupArg(g.signature))} defaultSort={{ key: 'totalMs', desc: true }} columns={GROUP_COLUMNS} />
              </Card>
              <Card title={`Latest blocks (${info.events.length} of ${num(info.totals.blocks)})`}>
                <DataTable label="latest blocks" rows={events} rowKey={(e) => eventArg(e.id)} selected={props.selected} onRow={(e) => open(eventArg(e.id))} defaultSort={{ key: 'id', desc: true }} columns={columns} />
              </Card>
            </div>
            {selection && (
              <div class="side" ref={side}>
                <Card title={group ? 'Stack group' : event ? `Block #${event.id}` : 'Details'}>
                  <a class="el-close" href={href('eventloop')}>
                    Close
                  </a>
                  {group ? <GroupDetail group={group} info={info} now={now} /> : event ? <EventDetail event={event} info={info} now={now} /> : <p class="muted">No longer in the ring of the latest blocks.</p>}
                </Card>
              </div>
            )}
          </div>
        </>
      )}
    </Page>
  );
}
