import { useCallback, useEffect, useState } from 'preact/hooks';
import { WRITE_HEADERS, useTopic } from '../conn.js';
import { HeapSnapshots } from '../heap/heap-snapshots.js';
import '../profile/profile.css';
import { type OpenProfile, ProfilePanel, RecentProfiles, ThreadPicker } from '../profile/panel.js';
import { Card, Page } from './common.js';
import { clock } from './countdown.js';
import './diagnostics.css';

interface Outcome {
  ok: boolean;
  message: string;
}

/**
 * POSTs a diagnostics action; a file that comes back is saved as a download
 * that DevTools opens. Every answer's body is read to its end: one left unread
 * (the 202 that starts a profile) never completes, and the browser's network
 * log shows it cancelled once the response is collected.
 */
async function act(path: string, nodePrefix: string, view?: (profile: Blob, name: string) => void): Promise<Outcome> {
  const res = await fetch(`api/${nodePrefix}diagnostics/${path}`, { method: 'POST', headers: WRITE_HEADERS });
  const disposition = res.headers.get('content-disposition') ?? '';
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
    const message = body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${res.status}`;
    return { ok: false, message };
  }
  const name = /filename="([^"]+)"/.exec(disposition)?.[1];
  if (name === undefined) {
    await res.arrayBuffer();
    return { ok: true, message: 'started' };
  }
  const blob = await res.blob();
  view?.(blob, name);
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  return { ok: true, message: `saved ${name}` };
}

/** Re-renders every `every` ms while `on`; returns the time of the last. */
function useNow(on: boolean, every = 250): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!on) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), every);
    return () => clearInterval(t);
  }, [on, every]);
  return now;
}

type Kind = 'cpu-profile' | 'heap-profile';

export function DiagnosticsPage(props: { node: string | undefined }): preact.JSX.Element {
  const { data: s, error } = useTopic('diagnostics', { every: 1000, node: props.node });
  const [busy, setBusy] = useState<string | undefined>(undefined);
  const [last, setLast] = useState<Outcome | undefined>(undefined);
  const [thread, setThread] = useState(0);
  const [open, setOpen] = useState<OpenProfile | undefined>(undefined);
  const close = useCallback(() => setOpen(undefined), []);
  const nodePrefix = props.node ? `${encodeURIComponent(props.node)}/` : '';
  const running = s?.running ?? null;
  // A profile that reached its maximum length waits in 'finished' to be downloaded with stop.
  const finished = s?.finished ?? null;
  // Re-renders while something counts; the figures read the clock afresh.
  useNow(running !== null || busy !== undefined);
  const now = Date.now();
  const run = (path: string, view?: (profile: Blob, name: string) => void) => async () => {
    setBusy(path);
    try {
      const outcome = await act(path, nodePrefix, view);
      setLast(outcome);
    } catch (e) {
      setLast({ ok: false, message: String(e) });
    } finally {
      setBusy(undefined);
    }
  };
  const current: Kind | undefined = running?.kind ?? finished?.kind;
  const off = !s?.enabled || busy !== undefined;
  const profile = (kind: Kind, label: string) => {
    if (current === kind) {
      return (
        <>
          {running?.kind === kind ? (
            <p class="elapsed" data-testid={`elapsed-${kind}`} role="timer">
              Running for {clock(now - running.startedAt)}
              <span class="muted"> · stops by itself in {clock(running.stopsAt - now)}</span>
            </p>
          ) : (
            <p class="elapsed">Stopped at its maximum length; the profile waits to be downloaded.</p>
          )}
          <button type="button" disabled={busy !== undefined} onClick={run(`${kind}/stop`, (blob, name) => setOpen({ title: name, load: () => blob.text() }))}>
            Stop and view
          </button>{' '}
          <button type="button" disabled={busy !== undefined} onClick={run(`${kind}/stop`)}>
            Stop and download
          </button>
        </>
      );
    }
    return (
      <button type="button" disabled={off || current !== undefined} onClick={run(`${kind}/start${thread === 0 ? '' : `?thread=${thread}`}`)}>
        {label}
      </button>
    );
  };
  return (
    <Page title="Diagnostics" error={error} loading={s === undefined}>
      {s && !s.enabled && (
        <p class="notice" role="note">
          Diagnostics are off on this server: they pause the process (a heap snapshot can take seconds and memory the size of the heap), so they are opt-in. Start wobserver with <code>diagnostics: true</code> to use them.
        </p>
      )}
      {s && (
        <div class="cards">
          <Card title="CPU profile">
            <p>Samples the JavaScript stacks until stopped; shown here as a flame graph, and opens in Chrome DevTools (Performance panel) as a .cpuprofile.</p>
            <ThreadPicker threads={s.threads} value={thread} onChange={setThread} disabled={current !== undefined} id="cpu" />
            {profile('cpu-profile', 'Start CPU profile')}
          </Card>
          <Card title="Heap profile">
            <p>Sampling allocation profile, by bytes; shown here as a flame graph, and opens in DevTools (Memory panel) as a .heapprofile.</p>
            <ThreadPicker threads={s.threads} value={thread} onChange={setThread} disabled={current !== undefined} id="heap" />
            {profile('heap-profile', 'Start heap profile')}
          </Card>
          <Card title="Diagnostic report">
            <p>Node's report: stacks, resources, libuv handles, environment (secrets redacted), as JSON.</p>
            <button type="button" disabled={off} onClick={run('report')}>
              Download report
            </button>
          </Card>
          <HeapSnapshots key={props.node ?? ''} node={props.node} disabled={off || current !== undefined} />
        </div>
      )}
      {busy !== undefined && <p class="muted">Working…</p>}
      {last && (
        <p class={last.ok ? 'ok' : 'error'} role="status">
          {last.message}
        </p>
      )}
      {s && <RecentProfiles profiles={s.profiles} ring={s.profileRing} nodePrefix={nodePrefix} onOpen={setOpen} />}
      {open && <ProfilePanel key={open.title} open={open} onClose={close} />}
    </Page>
  );
}
