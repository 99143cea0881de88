import { type Message, MessageLog } from './message-log.js';

/**
 * A test client of the HTTP fallback (`GET /events`, `POST /events/<session>`) with the
 * same surface as the WebSocket TestClient: it keeps every message of the stream and
 * waits for the one a test expects.
 */
export class EventsClient extends MessageLog {
  readonly #base: string;
  readonly #abort = new AbortController();
  #session: Promise<string>;

  /** `base`: wobserver's URL (with its prefix). */
  constructor(base: string, readonly headers: Record<string, string> = {}) {
    super();
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
            const m = JSON.parse(data) as Message;
            if (event.includes('event: session')) resolveSession(m.session as string);
            else this.received(m);
          }
        }
      } catch {
        // Aborted by close(), or the server ended the stream.
      }
    })();
    return session;
  }
}
