import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, sendJson } from './http-error.js';
import type { Live } from './live.js';
import type { Session } from './session.js';
import type { Sessions } from './sign-in.js';

/**
 * The HTTP fallback for clients that cannot open the WebSocket (a proxy that
 * refuses upgrades): `GET <prefix>/events` is a server-sent event stream that
 * carries exactly the WebSocket's messages; the client sends its messages with
 * `POST <prefix>/events/<session>`. Same limits, same heartbeat (a comment line).
 */
export class EventStreamTransport {
  readonly #live: Live;
  readonly #sessions = new Map<string, { session: Session; res: ServerResponse }>();
  readonly #heartbeat: NodeJS.Timeout;
  readonly #signIns: Sessions | undefined;

  /** `signIns`: the browser sessions; a stream opened with one ends when it does (sign-out, expiry). */
  constructor(live: Live, signIns?: Sessions) {
    this.#live = live;
    this.#signIns = signIns;
    this.#heartbeat = setInterval(() => {
      for (const { res } of this.#sessions.values()) this.#write(res, ': ping\n\n');
    }, live.heartbeatMs);
    this.#heartbeat.unref();
  }

  /** `GET <prefix>/events`: opens a stream; its first event names the session. */
  open(req: IncomingMessage, res: ServerResponse): void {
    if (this.#live.full) throw new HttpError(503, 'TOO_MANY_CLIENTS', `At most ${this.#live.maxClients} clients at once`);
    const id = randomBytes(18).toString('base64url');
    res.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      'x-accel-buffering': 'no',
      'x-content-type-options': 'nosniff',
    });
    res.write(`retry: 2000\nevent: session\ndata: ${JSON.stringify({ session: id })}\n\n`);
    const session = this.#live.open((message) => this.#write(res, `data: ${message}\n\n`), 'events');
    this.#sessions.set(id, { session, res });
    let ended = false;
    const unwatch = this.#signIns?.watch(this.#signIns.key(req), () => res.destroy()) ?? (() => undefined);
    const end = (): void => {
      if (ended) return;
      ended = true;
      unwatch();
      this.#sessions.delete(id);
      this.#live.done(session);
    };
    res.on('close', end);
    req.on('error', end);
  }

  /** `POST <prefix>/events/<session>`: one message or an array of them (at most 32); answers arrive on the stream. */
  async post(res: ServerResponse, id: string, body: Buffer): Promise<void> {
    const entry = this.#sessions.get(id);
    if (entry === undefined) throw new HttpError(404, 'SESSION_NOT_FOUND', 'No such event stream; open GET events first');
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      throw new HttpError(400, 'BAD_MESSAGE', 'The body must be one JSON message or an array of them');
    }
    const messages = Array.isArray(parsed) ? parsed : [parsed];
    if (messages.length > 32) throw new HttpError(400, 'BAD_MESSAGE', 'At most 32 messages per request');
    sendJson(res, 202, { accepted: messages.length });
    for (const m of messages) await entry.session.handle(m);
  }

  close(): void {
    clearInterval(this.#heartbeat);
    for (const { res } of this.#sessions.values()) res.destroy();
    this.#sessions.clear();
  }

  #write(res: ServerResponse, text: string): void {
    if (res.destroyed || res.writableEnded) return;
    if (res.writableLength > this.#live.maxBufferedBytes) {
      this.#live.stats.droppedSlow++;
      res.destroy();
      return;
    }
    res.write(text);
  }
}
