// The Diagnostics page's profile parts that load with the page: the thread
// picker, the list of recent profiles and the panel that fetches the viewer
// with import() only once a profile is opened (it is not in the first page).
import { Component, type ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ThreadRef } from '../../protocol/eventloop.js';
import type { ProfileEntry } from '../../protocol/diagnostics.js';
import { bytes, date, ms } from '../format.js';

/** A profile to show: its title and how to get its JSON text. */
export interface OpenProfile {
  title: string;
  load: () => Promise<string>;
}

type ViewerModule = typeof import('./viewer.js');
let viewer: Promise<ViewerModule> | undefined;

/** The viewer's chunk, fetched once (a failed fetch is tried again next time). */
export function loadViewer(): Promise<ViewerModule> {
  viewer ??= import('./viewer.js').catch((e: unknown) => {
    viewer = undefined;
    throw e;
  });
  return viewer;
}

/** Which thread a profile is taken on: `main` (0) or a worker, from the diagnostics topic's `threads`. */
export function ThreadPicker(props: { threads: readonly ThreadRef[]; value: number; onChange: (id: number) => void; disabled?: boolean; id: string }): preact.JSX.Element {
  const threads = props.threads.length > 0 ? props.threads : [{ id: 0, name: 'main' }];
  return (
    <p class="thread-pick">
      <label for={`thread-${props.id}`}>Thread</label>
      <select id={`thread-${props.id}`} value={String(props.value)} disabled={props.disabled || threads.length < 2} onChange={(e) => props.onChange(Number((e.target as HTMLSelectElement).value))}>
        {threads.map((t) => (
          <option value={String(t.id)}>{t.id === 0 ? t.name : `${t.name} (thread ${t.id})`}</option>
        ))}
      </select>
    </p>
  );
}

/** The file name a ring entry downloads as. */
export function profileFile(p: ProfileEntry): string {
  const stamp = new Date(p.startedAt).toISOString().replace(/[:.]/g, '-');
  // A worker's name is the user's: nothing of it that a file name cannot hold.
  const thread = p.thread.name.replace(/[^\w.-]+/g, '-');
  return p.kind === 'cpu-profile' ? `cpu-${thread}-${stamp}.cpuprofile` : `heap-${thread}-${stamp}.heapprofile`;
}

/** The ring of recent profiles (newest first), each opened in the viewer or downloaded. */
export function RecentProfiles(props: { profiles: readonly ProfileEntry[]; ring: number; nodePrefix: string; onOpen: (p: OpenProfile) => void }): preact.JSX.Element {
  const url = (p: ProfileEntry): string => `api/${props.nodePrefix}diagnostics/profiles/${encodeURIComponent(p.id)}`;
  const open = (p: ProfileEntry) => () =>
    props.onOpen({
      title: profileFile(p),
      load: async () => {
        const res = await fetch(url(p));
        if (!res.ok) throw new Error(`HTTP ${res.status} for profile ${p.id}`);
        return res.text();
      },
    });
  return (
    <section class="card recent-profiles" aria-label="Recent profiles">
      <h2>Recent profiles</h2>
      {props.profiles.length === 0 ? (
        <p class="muted">No profile kept yet{props.ring > 0 ? ` (the last ${props.ring} are kept here)` : ''}.</p>
      ) : (
        <div class="recent-scroll">
          <table class="data" aria-label="recent profiles">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Kind</th>
                <th scope="col">Thread</th>
                <th scope="col" class="right">Length</th>
                <th scope="col" class="prio-3">Trigger</th>
                <th scope="col" class="right prio-2">Size</th>
                <th scope="col" class="right prio-3">Frames</th>
                <th scope="col">
                  <span class="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {props.profiles.map((p) => (
                <tr key={p.id}>
                  <td>{date(p.startedAt)}</td>
                  <td>{p.kind === 'cpu-profile' ? 'CPU' : 'heap'}</td>
                  <td>{p.thread.name}</td>
                  <td class="right">{ms(p.durationMs)}</td>
                  <td class="prio-3">{p.trigger}</td>
                  <td class="right prio-2">{bytes(p.bytes)}</td>
                  <td class="right prio-3">{p.nodes.toLocaleString('en-US')}</td>
                  <td>
                    <button type="button" onClick={open(p)} aria-label={`Open ${profileFile(p)}`}>
                      Open
                    </button>
                    <a href={url(p)} download={profileFile(p)} aria-label={`Download ${profileFile(p)}`}>
                      Download
                    </a>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

interface PanelProps {
  open: OpenProfile;
  onClose: () => void;
}

/**
 * Where an opened profile shows: loads the viewer's chunk and the profile
 * together, renders it and scrolls it into view. The page re-renders every
 * second with its topic; the viewer only when its profile changes.
 */
export class ProfilePanel extends Component<PanelProps> {
  override shouldComponentUpdate(next: PanelProps): boolean {
    return next.open !== this.props.open || next.onClose !== this.props.onClose;
  }

  override render(): preact.JSX.Element {
    return <Panel {...this.props} />;
  }
}

function Panel(props: PanelProps): preact.JSX.Element {
  const panel = useRef<HTMLElement>(null);
  const [state, setState] = useState<{ Viewer: ComponentType<{ profile: unknown; title: string }>; profile: unknown } | { error: string } | undefined>(undefined);
  useEffect(() => {
    let live = true;
    Promise.all([loadViewer(), props.open.load()])
      .then(([m, text]) => {
        if (!live) return;
        setState({ Viewer: m.ProfileViewer, profile: JSON.parse(text) as unknown });
        panel.current?.scrollIntoView({ block: 'start' });
      })
      .catch((e: unknown) => live && setState({ error: e instanceof Error ? e.message : String(e) }));
    return () => {
      live = false;
    };
  }, [props.open]);
  return (
    <section class="card profile-panel" aria-label="Profile viewer" data-testid="profile-panel" ref={panel}>
      <header>
        <h2>{props.open.title}</h2>
        <button type="button" onClick={props.onClose}>
          Close
        </button>
      </header>
      {state === undefined && <p class="muted">Loading the profile…</p>}
      {state !== undefined && 'error' in state && (
        <p class="error" role="alert">
          Cannot open the profile: {state.error}
        </p>
      )}
      {state !== undefined && 'Viewer' in state && <state.Viewer profile={state.profile} title={props.open.title} />}
    </section>
  );
}
