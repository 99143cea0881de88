/**
 * A test client of the HTTP fallback (`GET /events`, `POST /events/<session>`) with the
 * same surface as the WebSocket TestClient: it keeps every message of the stream and
 * waits for the one a test expects.
 */
export class EventsClient {
  readonly messages: Record<string, any>[] = [];
  readonly #base: string;
  readonly #abort = new AbortController();
  #session: Promise<string>;
  #waiters: { match: (m: Record<string, any>) => boolean; resolve: (m: Record<string, any>) => void }[] = [];

  /** `base`: wobserver's URL (with its prefix). */
  constructor(base: string, readonly headers: Record<string, string> = {}) {
    this.#base = base;
    this.#session = this.#open();
  }

  /** Resolves once the stream named its session. */
  async opened(): Promise<void> {
    await this.#session;
  }

  /** Posts one message; answers arrive on the stream. Resolves with the POST's status. */
  async send(m: unknown): Promise<number> {
    return (await this.post(typeof m === 'string' ? m : JSON.stringify(m))).status;
  }

  /** Posts a raw body, and returns the HTTP answer (a body the fallback refuses is refused there, with a code). */
  async post(body: string): Promise<{ status: number; code: string | undefined }> {
    const res = await fetch(`${this.#base}/events/${await this.#session}`, { method: 'POST', headers: { 'x-wobserver-request': '1', 'content-type': 'application/json', ...this.headers }, body });
    const answer = (await res.json().catch(() => ({}))) as { error?: { code?: string } };
    return { status: res.status, code: answer.error?.code };
  }

  next(match: (m: Record<string, any>) => boolean, timeoutMs = 5000): Promise<Record<string, any>> {
    const seen = this.messages.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages.slice(-5)).slice(0, 600)}`)), timeoutMs);
      this.#waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  count(match: (m: Record<string, any>) => boolean): number {
    return this.messages.filter(match).length;
  }

  close(): void {
    this.#abort.abort();
  }

  async #open(): Promise<string> {
    const res = await fetch(`${this.#base}/events`, { headers: this.headers, signal: this.#abort.signal });
    if (res.status !== 200) throw Object.assign(new Error(`refused: ${res.status}`), { status: res.status });
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let resolveSession!: (id: string) => void;
    const session = new Promise<string>((r) => (resolveSession = r));
    void (async () => {
      let buffer = '';
      try {
        for (;;) {
          const { value, done } = await reader.read();
          if (done) return;
          buffer += value;
          let end: number;
          while ((end = buffer.indexOf('\n\n')) >= 0) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const data = event.split('\n').filter((l) => l.startsWith('data: ')).map((l) => l.slice(6)).join('\n');
            if (data === '') continue;
            const m = JSON.parse(data) as Record<string, any>;
            if (event.includes('event: session')) resolveSession(m.session as string);
            else this.#receive(m);
          }
        }
      } catch {
        // Aborted by close(), or the server ended the stream.
      }
    })();
    return session;
  }

  #receive(m: Record<string, any>): void {
    this.messages.push(m);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.match(m)) return true;
      w.resolve(m);
      return false;
    });
  }
}
