import type { TopicName } from './topics.js';

/** The version of the live protocol, in the server's hello. */
export type ProtocolVersion = 1;

/** A message's or a subscription's id: chosen by the client (a string of 1 to 64 characters or an integer), or given by the server. */
export type MessageId = string | number;

/** Parameters as sent: a flat object of at most 16 strings, numbers or booleans. */
export type WireParams = Record<string, string | number | boolean>;

/** What a client sends: exactly one of `get`, `subscribe` or `unsubscribe`. */
export type ClientMessage =
  | { id?: MessageId; get: TopicName; params?: WireParams; node?: string }
  | {
      id?: MessageId;
      subscribe: TopicName;
      params?: WireParams;
      /** ms between pushes; 0 once; default: the topic's own. */
      every?: number;
      node?: string;
    }
  | { id?: MessageId; unsubscribe: MessageId };

/** An error, with its stable code. */
export interface ErrorBody {
  code: string;
  message: string;
}

/** The first message on every connection. */
export interface Hello {
  protocol: ProtocolVersion;
  node: string;
  version: string;
  heartbeatMs: number;
  transport: 'websocket' | 'events';
}

/** What the server sends. */
export type ServerMessage =
  | { hello: Hello }
  /** The answer to a `get`. */
  | { id?: MessageId; data: unknown }
  | { id?: MessageId; subscribed: MessageId; topic: TopicName; every: number }
  | { id?: MessageId; unsubscribed: MessageId }
  | { id?: MessageId; error: ErrorBody }
  /** A push of subscription `sub`; `append` marks load columns that continue the previous push. */
  | { sub: MessageId; at: number; append?: true; data: unknown };
