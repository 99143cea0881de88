import { useEffect, useState } from 'preact/hooks';
import { App } from './app.js';
import { WRITE_HEADERS, connection } from './conn.js';

/** What `GET session` answers: whether the server asks for credentials, whether this browser has them, and whether by a session. */
interface SessionState {
  auth: boolean;
  signedIn: boolean;
  session: boolean;
}

async function readSession(): Promise<SessionState> {
  const res = await fetch('session', { headers: { accept: 'application/json' }, cache: 'no-store' });
  if (!res.ok) throw new Error(`session: HTTP ${res.status}`);
  return (await res.json()) as SessionState;
}

async function signOut(): Promise<void> {
  await fetch('session', { method: 'DELETE', headers: WRITE_HEADERS }).catch(() => undefined);
  location.reload();
}

/** The page: the sign-in view until the browser has a session (or needs none), then the UI. */
export function Root(): preact.JSX.Element {
  const [state, setState] = useState<SessionState | undefined>(undefined);
  const [failed, setFailed] = useState<string | undefined>(undefined);
  const check = (): void => {
    readSession().then(setState, (e: unknown) => setFailed(String(e)));
  };
  useEffect(check, []);
  // A session that expired (or was signed out elsewhere) shows as a connection that cannot come back: ask again.
  useEffect(() => {
    if (state?.session !== true) return;
    return connection().onState((s) => {
      if (s !== 'reconnecting') return;
      readSession().then((now) => {
        if (!now.signedIn) location.reload();
      }, () => undefined);
    });
  }, [state?.session]);
  if (failed !== undefined) return <p role="alert">{failed}</p>;
  if (state === undefined) return <p class="muted">Loading…</p>;
  if (!state.signedIn) return <SignIn onSignedIn={check} />;
  return <App onSignOut={state.session ? () => void signOut() : undefined} />;
}

/** Takes the token once; the server answers with an HttpOnly session cookie, so the page never keeps the token. */
function SignIn(props: { onSignedIn: () => void }): preact.JSX.Element {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>(undefined);
  useEffect(() => {
    document.title = 'Sign in · wobserver';
  }, []);
  const submit = async (e: Event): Promise<void> => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const res = await fetch('session', { method: 'POST', headers: { ...WRITE_HEADERS, authorization: `Bearer ${token.trim()}` } });
      if (res.ok) {
        setToken('');
        props.onSignedIn();
        return;
      }
      const body = (await res.json().catch(() => ({}))) as { error?: { code: string; message: string } };
      setError(res.status === 401 ? 'That token is not accepted.' : (body.error?.message ?? `HTTP ${res.status}`));
    } catch (err) {
      setError(String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <main class="sign-in">
      <form onSubmit={(e) => void submit(e)} aria-label="Sign in">
        <h1>wobserver</h1>
        <p class="muted">This server asks for its token. It is sent once; the browser then keeps a session (until you sign out, or it expires).</p>
        <label>
          Token
          <input type="password" name="token" autocomplete="current-password" required value={token} onInput={(e) => setToken((e.target as HTMLInputElement).value)} />
        </label>
        <button type="submit" disabled={busy || token.trim() === ''}>
          Sign in
        </button>
        {error !== undefined && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </main>
  );
}
