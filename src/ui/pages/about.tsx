import { Kv } from '../components/kv.js';
import { connection, useTopic } from '../conn.js';
import { Card, Page } from './common.js';

export function AboutPage(props: { node: string | undefined }): preact.JSX.Element {
  const { data, error } = useTopic('about', { every: 0, node: props.node });
  const hello = connection().hello;
  return (
    <Page title="About" error={error} loading={data === undefined}>
      {data && (
        <div class="cards">
          <Card title="wobserver">
            <Kv rows={Object.entries(data).map(([k, v]) => [k, v])} />
          </Card>
          <Card title="Connection">
            <Kv rows={[['transport', hello?.transport], ['protocol', hello?.protocol], ['heartbeat', `${Number(hello?.heartbeatMs) / 1000} s`], ['page', location.href]]} />
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
