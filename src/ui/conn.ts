import { useEffect, useState } from 'preact/hooks';
import { type Connection, type ConnectionState, REQUEST_HEADER, type TopicData, type TopicName, type TopicParams, connect } from '../client/index.js';

/** Headers of every state-changing request: the marker the server's cross-site guard asks for. */
export const WRITE_HEADERS: Record<string, string> = { [REQUEST_HEADER]: '1' };

/** The page's one connection to the server it was loaded from (relative: works under any prefix, ws: or wss: by the page). */
let shared: Connection | undefined;
export function connection(): Connection {
  shared ??= connect('./');
  return shared;
}

export function useConnectionState(): ConnectionState {
  const c = connection();
  const [state, setState] = useState(c.state);
  useEffect(() => {
    const off = c.onState(setState);
    // It may have changed between the render and this effect.
    setState(c.state);
    return () => void off();
  }, [c]);
  return state;
}

export interface TopicState<T> {
  data: T | undefined;
  error: { code: string; message: string } | undefined;
  /** When the last push arrived (ms since the epoch). */
  at: number;
}

/** How a page subscribes: the topic's own parameters, its rate (0 reads once), the node, and `skip` to hold off. */
export interface TopicOptions<P> {
  params?: P;
  every?: number | undefined;
  node?: string | undefined;
  skip?: boolean;
  /** When the parameters change, keep showing the last data until the new subscription's first push (a pager that does not blank). Default: false. */
  keep?: boolean;
}

/**
 * Subscribes to a topic while the component is shown; `every` 0 reads once.
 * `onPush` sees every push (for pages that accumulate, like load and metrics).
 * The data's type is the contract's (src/protocol/): the topic's own, or the
 * named thing's when the parameters name one (`{ id }` of `processes`).
 */
export function useTopic<K extends TopicName, P extends TopicParams<K> = Record<never, never>, T = TopicData<K, P>>(
  topic: K,
  options: TopicOptions<P>,
  onPush?: (data: T, meta: { append: boolean; at: number }) => void,
): TopicState<T> {
  const [state, setState] = useState<TopicState<T>>({ data: undefined, error: undefined, at: 0 });
  const key = JSON.stringify([topic, options.params ?? {}, options.every, options.node, options.skip]);
  useEffect(() => {
    if (options.skip) return;
    setState((s) => (options.keep ? { ...s, error: undefined } : { data: undefined, error: undefined, at: 0 }));
    return connection().subscribe<T>(
      topic,
      { params: options.params as Record<string, string | number | boolean> | undefined, every: options.every, node: options.node },
      (data, meta) => {
        onPush?.(data, meta);
        setState({ data, error: undefined, at: meta.at });
      },
      (error) => setState((s) => ({ ...s, error: { code: error.code, message: error.message } })),
    );
  }, [key]);
  return state;
}
