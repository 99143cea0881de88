import type { BlockEvent, EventLoopInfo, StackFrame, StackGroup } from '../../client/index.js';
import { Kv } from '../components/kv.js';
import { date, ms, num } from '../format.js';
import { href } from '../router.js';
import { durationOf, eventArg, functionOf, groupArg, noStackText, scriptPath, topFrame, whereOf } from './eventloop-words.js';

/** Latest events of a group shown in its detail. */
const GROUP_EVENTS = 10;

/** Every frame of a stack, innermost first: function and file:line:column — the original position when a source map gives one, the compiled one beside it. */
export function StackView(props: { stack: readonly StackFrame[]; label: string; frames?: number }): preact.JSX.Element {
  const top = topFrame(props.stack);
  return (
    <>
      <ol class="el-stack" aria-label={props.label}>
        {props.stack.map((f) => (
          <li class={`${f === top ? 'el-top' : ''}${f.url.startsWith('node:') ? ' internal' : ''}`}>
            <span class="el-fn">{functionOf(f)}</span>{' '}
            <code class="el-at" title={(f.source ?? f).url}>
              {whereOf(f, true)}
            </code>
            {f.source !== null && (
              <span class="el-source">
                {' '}
                (compiled: <code title={f.url}>{scriptPath(f.url)}:{f.line}:{f.column}</code>)
              </span>
            )}
          </li>
        ))}
      </ol>
      {props.frames !== undefined && props.stack.length >= props.frames && <p class="muted small">Cut at {props.frames} frames (limits.frames).</p>}
    </>
  );
}

function EventLine(props: { e: BlockEvent; now: number }): preact.JSX.Element {
  const e = props.e;
  return (
    <li>
      <a href={href('eventloop', eventArg(e.id))}>#{e.id}</a> {date(e.startedAt)} · {e.durationMs === null ? `${ms(durationOf(e, props.now))} so far` : ms(e.durationMs)} · {e.thread.name}
    </li>
  );
}

/** A group: its figures, the full stack of its latest block, and its latest blocks still in the ring. */
export function GroupDetail(props: { group: StackGroup; info: EventLoopInfo; now: number }): preact.JSX.Element {
  const g = props.group;
  const latest = props.info.events.filter((e) => e.signature === g.signature).slice(-GROUP_EVENTS).reverse();
  return (
    <div class="el-detail" data-testid="group-detail">
      <Kv
        label="Stack group"
        rows={[
          ['Blocks', num(g.count)],
          ['Blocked in all', ms(g.totalMs)],
          ['Longest', ms(g.maxMs)],
          ['Last', date(g.lastAt)],
          ['Thread', g.thread.name],
          ['Signature', <code>{g.signature}</code>],
        ]}
      />
      <h3>Stack of its latest block</h3>
      <StackView stack={g.stack} label="Stack frames" frames={props.info.limits.frames} />
      <h3>Its latest blocks</h3>
      {latest.length === 0 ? (
        <p class="muted">None left in the ring of the latest {num(props.info.limits.events)} blocks.</p>
      ) : (
        <ul class="el-events">
          {latest.map((e) => (
            <EventLine e={e} now={props.now} />
          ))}
        </ul>
      )}
    </div>
  );
}

/** One block: when, how long, its thread, and its stack or why it has none. */
export function EventDetail(props: { event: BlockEvent; info: EventLoopInfo; now: number }): preact.JSX.Element {
  const e = props.event;
  const group = e.signature === null ? undefined : props.info.groups.find((g) => g.signature === e.signature);
  return (
    <div class="el-detail" data-testid="event-detail">
      <Kv
        label="Block"
        rows={[
          ['Started', date(e.startedAt)],
          ['Lasted', e.durationMs === null ? `${ms(durationOf(e, props.now))} so far (still blocked)` : ms(e.durationMs)],
          ['Thread', `${e.thread.name} (id ${e.thread.id})`],
          ['Stack taken after', ms(e.captureMs)],
          ['Group', group === undefined ? '–' : <a href={href('eventloop', groupArg(group.signature))}>{num(group.count)} blocks with this stack</a>],
        ]}
      />
      {e.stack === null ? <p class="el-nostack">{noStackText(e.noStack, props.info.limits, e.note)}</p> : <StackView stack={e.stack} label="Stack frames" frames={props.info.limits.frames} />}
    </div>
  );
}
