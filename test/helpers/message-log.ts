/** A live message as a test reads it. */
export type Message = Record<string, any>;

/**
 * Every message a test client received, in order, and the wait for the one a
 * test expects: the WebSocket client and the HTTP-fallback client share it.
 */
export class MessageLog {
  readonly messages: Message[] = [];
  #waiters: { match: (m: Message) => boolean; resolve: (m: Message) => void }[] = [];

  /** Keeps a message and hands it to the waits it matches. */
  protected received(m: Message): void {
    this.messages.push(m);
    this.#waiters = this.#waiters.filter((w) => {
      if (!w.match(m)) return true;
      w.resolve(m);
      return false;
    });
  }

  /** The first message (already received or still to come) that matches. */
  next(match: (m: Message) => boolean, timeoutMs = 5000): Promise<Message> {
    const seen = this.messages.find(match);
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.messages.slice(-5)).slice(0, 600)}`)), timeoutMs);
      this.#waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  count(match: (m: Message) => boolean): number {
    return this.messages.filter(match).length;
  }
}
