import type { AboutInfo } from '../../client/index.js';
import { Kv } from '../components/kv.js';
import { connection, useTopic } from '../conn.js';
import { plain, seconds, words } from '../format.js';
import { Card, Page } from './common.js';

/** The mount path as a user reads it: '' is the root. */
export function prefixText(prefix: string): string {
  return prefix === '' || prefix === '/' ? '/ (root)' : prefix;
}

/** Each field of the About topic in words, its value formatted. */
function aboutRows(a: AboutInfo): [string, string][] {
  const value = (k: string, v: unknown): string => {
    if (k === 'prefix') return prefixText(String(v));
    if (k === 'pid') return plain(Number(v));
    if (k === 'diagnostics') return v ? 'on' : 'off';
    return String(v);
  };
  const names: Record<string, string> = { prefix: 'Mounted at', node: 'Node name', pid: 'PID' };
  return Object.entries(a).map(([k, v]) => [names[k] ?? words(k), value(k, v)]);
}

export function AboutPage(props: { node: string | undefined }): preact.JSX.Element {
  const { data, error } = useTopic('about', { every: 0, node: props.node });
  const hello = connection().hello;
  return (
    <Page title="About" error={error} loading={data === undefined}>
      {data && (
        <div class="cards">
          <Card title="wobserver">
            <Kv label="about" rows={aboutRows(data)} />
          </Card>
          <Card title="Connection">
            <Kv
              label="connection"
              rows={[
                ['Transport', hello?.transport],
                ['Protocol version', hello?.protocol],
                ['Heartbeat', hello?.heartbeatMs === undefined ? '–' : seconds(Number(hello.heartbeatMs) / 1000)],
                ['Page', location.href],
              ]}
            />
          </Card>
          <Card title="What this is">
            <p>
              A web observer for Node.js, after Erlang's <code>:observer</code> and the Elixir Wobserver: the process's system, load, memory, packages, threads and
              requests, handles, tables, metrics and custom pages, live, from a browser. The same data is JSON under <a href="api">api</a> and Prometheus text at{' '}
              <a href="metrics">metrics</a>.
            </p>
          </Card>
        </div>
      )}
    </Page>
  );
}
