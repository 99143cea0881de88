import { useState } from 'preact/hooks';
import { WRITE_HEADERS, useTopic } from '../conn.js';
import { Card, Page } from './common.js';

/** POSTs a diagnostics action; a file comes back and is saved as a download DevTools opens. */
async function act(path: string, nodePrefix: string): Promise<{ ok: boolean; message: string }> {
  const res = await fetch(`api/${nodePrefix}diagnostics/${path}`, { method: 'POST', headers: WRITE_HEADERS });
  const disposition = res.headers.get('content-disposition') ?? '';
  if (!res.ok) {
    const body = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
    return { ok: false, message: body.error ? `${body.error.code}: ${body.error.message}` : `HTTP ${res.status}` };
  }
  const name = /filename="([^"]+)"/.exec(disposition)?.[1];
  if (name === undefined) return { ok: true, message: 'started' };
  const blob = await res.blob();
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
  return { ok: true, message: `saved ${name}` };
}

export function DiagnosticsPage(props: { node: string | undefined }): preact.JSX.Element {
  const { data: s, error } = useTopic('diagnostics', { every: 1000, node: props.node });
  const [busy, setBusy] = useState(false);
  const [last, setLast] = useState<{ ok: boolean; message: string } | undefined>(undefined);
  const nodePrefix = props.node ? `${encodeURIComponent(props.node)}/` : '';
  const run = (path: string) => async () => {
    setBusy(true);
    try {
      setLast(await act(path, nodePrefix));
    } catch (e) {
      setLast({ ok: false, message: String(e) });
    } finally {
      setBusy(false);
    }
  };
  // A profile that reached its maximum length waits in 'finished' to be downloaded with stop.
  const running = s?.running?.kind ?? (s?.finished as { kind?: string } | null | undefined)?.kind;
  const off = !s?.enabled || busy;
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
            <p>Samples the JavaScript stacks until stopped; opens in Chrome DevTools (Performance panel) as a .cpuprofile.</p>
            {running === 'cpu-profile' ? <button disabled={busy} onClick={run('cpu-profile/stop')}>Stop and download</button> : <button disabled={off || running !== undefined} onClick={run('cpu-profile/start')}>Start CPU profile</button>}
          </Card>
          <Card title="Heap profile">
            <p>Sampling allocation profile; opens in DevTools (Memory panel) as a .heapprofile.</p>
            {running === 'heap-profile' ? <button disabled={busy} onClick={run('heap-profile/stop')}>Stop and download</button> : <button disabled={off || running !== undefined} onClick={run('heap-profile/start')}>Start heap profile</button>}
          </Card>
          <Card title="Heap snapshot">
            <p>Every object on the heap, written to a file and streamed; at most one a minute.</p>
            <button disabled={off || running !== undefined} onClick={run('heap-snapshot')}>Take heap snapshot</button>
          </Card>
          <Card title="Diagnostic report">
            <p>Node's report: stacks, resources, libuv handles, environment (secrets redacted), as JSON.</p>
            <button disabled={off} onClick={run('report')}>Download report</button>
          </Card>
        </div>
      )}
      {busy && <p class="muted">Working…</p>}
      {last && (
        <p class={last.ok ? 'ok' : 'error'} role="status">
          {last.message}
        </p>
      )}
    </Page>
  );
}
