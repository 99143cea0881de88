import { useState } from 'preact/hooks';
import type { RequestLog } from '../../client/index.js';
import { useTopic } from '../conn.js';
import { date, ms } from '../format.js';
import { Card, Page } from './common.js';
import { LogRow } from './logs.js';
import './logs.css';

const STORED = 'wobserver.requestlog.token';

/** A fresh token: 16 random characters of the token alphabet. */
function newToken(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(12));
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_');
}

/** This tab's token: kept for the tab's life (a reload keeps following the same requests). */
function storedToken(): string {
  try {
    const t = sessionStorage.getItem(STORED);
    if (t !== null && /^[A-Za-z0-9._~-]{1,128}$/.test(t)) return t;
    const fresh = newToken();
    sessionStorage.setItem(STORED, fresh);
    return fresh;
  } catch {
    return newToken();
  }
}

function cookieSet(name: string, token: string): boolean {
  return document.cookie.split(';').some((c) => c.trim() === `${name}=${token}`);
}

function Request(props: { r: RequestLog }): preact.JSX.Element {
  const r = props.r;
  return (
    <div class="card rl-request" data-testid="rl-request">
      <div class="rl-head">
        <strong>{r.method}</strong> <code>{r.url}</code>
        {r.route !== null && <span class="muted"> ({r.route})</span>}
        <span class={`rl-status${r.status !== null && r.status >= 500 ? ' error' : ''}`}>{r.state === 'in flight' ? 'in flight…' : r.state === 'aborted' ? 'aborted' : String(r.status)}</span>
        <span class="muted">{r.durationMs === null ? '' : ms(r.durationMs)}</span>
        <span class="muted rl-when">{date(r.startedAt)}</span>
      </div>
      {r.lines.length === 0 ? <p class="muted">Nothing logged{r.state === 'in flight' ? ' yet' : ''}.</p> : r.lines.map((l) => <LogRow key={l.seq} line={l} />)}
      {r.droppedLines > 0 && <p class="muted">{r.droppedLines} more lines not kept (the requestLines and requestBytes bounds).</p>}
    </div>
  );
}

/**
 * The Request logger page (LiveDashboard's): this tab picks a token; a
 * request that carries it (query parameter, header or cookie, by the names
 * the node says) has everything logged in its asynchronous context shown
 * here, with its method, route, status and duration. The node watches the
 * token only while this page reads (every second).
 */
export function RequestLoggerPage(props: { node: string | undefined }): preact.JSX.Element {
  const [token, setToken] = useState(storedToken);
  const [, rerender] = useState(0);
  const { data: info, error } = useTopic('requestlog', { params: { token }, every: 1000, node: props.node, keep: true });
  const mark = info?.mark;
  const requests = info ? [...info.requests].reverse() : [];
  const renew = (): void => {
    const t = newToken();
    try {
      sessionStorage.setItem(STORED, t);
    } catch {
      // No storage: the token lasts while the page is open.
    }
    setToken(t);
  };
  const setCookie = (on: boolean): void => {
    if (mark?.cookie == null) return;
    // Host-only, every path: the application on this host (any port) receives it from this browser.
    // biome-ignore lint/suspicious/noDocumentCookie: setting a cookie for the application to receive is the point; the Cookie Store API is not in every browser.
    document.cookie = on ? `${mark.cookie}=${token}; path=/; SameSite=Lax` : `${mark.cookie}=; path=/; max-age=0; SameSite=Lax`;
    rerender((n) => n + 1);
  };
  const hasCookie = mark?.cookie != null && cookieSet(mark.cookie, token);
  return (
    <Page title="Request logger" error={error} loading={info === undefined}>
      {info && mark && (
        <>
          {!info.capturing && (
            <div class="card notice">
              <strong>Logs are not captured on this node</strong> (the option <code>logs</code> is false): marked requests are listed without their lines.
            </div>
          )}
          <Card title="Mark a request" wide>
            <p>
              Token <code data-testid="rl-token">{token}</code>{' '}
              <button type="button" onClick={renew}>
                New token
              </button>
            </p>
            <ul class="rl-ways" data-testid="rl-ways">
              {mark.param !== null && (
                <li>
                  add <code>?{mark.param}={token}</code> to a request's URL,
                </li>
              )}
              {mark.header !== null && (
                <li>
                  send the header <code>{mark.header}: {token}</code>, e.g. <code>curl -H '{mark.header}: {token}' …</code>
                  {','}
                </li>
              )}
              {mark.cookie !== null && (
                <li>
                  or let this browser send the cookie <code>{mark.cookie}={token}</code> to the application on this host:{' '}
                  <button type="button" onClick={() => setCookie(!hasCookie)} data-testid="rl-cookie">
                    {hasCookie ? 'Remove the cookie' : 'Set the cookie'}
                  </button>
                </li>
              )}
            </ul>
            {mark.param === null && mark.header === null && mark.cookie === null && <p class="error">Every way to mark a request is off on this node (the option logs.mark).</p>}
          </Card>
          <h2 class="rl-title">Marked requests ({info.requests.length})</h2>
          {requests.length === 0 ? (
            <p class="muted" data-testid="rl-none">
              No marked request yet. Requests marked while this page is open appear here, newest first, with what they logged.
            </p>
          ) : (
            requests.map((r) => <Request key={r.id} r={r} />)
          )}
        </>
      )}
    </Page>
  );
}
