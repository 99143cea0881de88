import { WebSocket, type ClientOptions } from 'ws';
import { type Message, MessageLog } from './message-log.js';

/** A test WebSocket client that keeps every message and waits for the one a test expects. */
export class TestClient extends MessageLog {
  readonly ws: WebSocket;

  constructor(url: string, options?: ClientOptions) {
    super();
    this.ws = new WebSocket(url, options);
    this.ws.on('message', (data) => this.received(JSON.parse(data.toString()) as Message));
  }

  /** Resolves when open; rejects with the refusal (its HTTP status) when the upgrade is refused. */
  opened(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('unexpected-response', (_req, res) => reject(Object.assign(new Error(`refused: ${res.statusCode}`), { status: res.statusCode })));
      this.ws.once('error', reject);
    });
  }

  send(m: unknown): void {
    this.ws.send(typeof m === 'string' ? m : JSON.stringify(m));
  }

  closed(): Promise<{ code: number }> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve({ code: 1006 });
    return new Promise((resolve) => this.ws.once('close', (code) => resolve({ code })));
  }

  close(): void {
    this.ws.terminate();
  }
}
