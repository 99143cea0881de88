import { DataTable } from '../components/table.js';
import { Kv } from '../components/kv.js';
import { useRefresh } from '../components/refresh.js';
import { useTopic } from '../conn.js';
import { bytes, num } from '../format.js';
import { Card, Page } from './common.js';

export function MemoryPage(props: { node: string | undefined }): preact.JSX.Element {
  const [every, refresh] = useRefresh('memory', 2000);
  const { data: m, error } = useTopic('memory', { every, node: props.node });
  const biggest = m ? Math.max(1, ...m.spaces.map((s) => s.size)) : 1;
  const words = (k: string): string => k.replace(/([A-Z])/g, ' $1').toLowerCase();
  return (
    <Page title="Memory" controls={refresh} error={error} loading={m === undefined}>
      {m && (
        <>
          {m.warnings.length > 0 && (
            <ul class="warnings" role="alert">
              {m.warnings.map((w) => (
                <li>{w}</li>
              ))}
            </ul>
          )}
          <Card title="Heap spaces" wide>
            <div class="bars" role="img" aria-label="Heap spaces, used of size">
              {m.spaces.map((s) => (
                <div class="bar-row">
                  <span class="bar-label">{s.name.replace(/_space$/, '')}</span>
                  <span class="bar-track">
                    <span class="bar size" style={{ width: `${(s.size / biggest) * 100}%` }} />
                    <span class="bar used" style={{ width: `${(s.used / biggest) * 100}%` }} />
                  </span>
                  <span class="bar-value">
                    {bytes(s.used)} / {bytes(s.size)}
                  </span>
                </div>
              ))}
            </div>
            <DataTable
              label="heap spaces"
              rows={m.spaces}
              rowKey={(s) => s.name}
              columns={[
                { key: 'name', title: 'Space' },
                { key: 'size', title: 'Size', align: 'right', render: (s) => bytes(s.size) },
                { key: 'used', title: 'Used', align: 'right', render: (s) => bytes(s.used) },
                { key: 'available', title: 'Available', align: 'right', render: (s) => bytes(s.available) },
                { key: 'physical', title: 'Physical', align: 'right', render: (s) => bytes(s.physical) },
              ]}
            />
          </Card>
          <div class="cards">
            <Card title="Heap statistics">
              <Kv rows={Object.entries(m.heap).map(([k, v]) => [words(k), /number/i.test(k) ? num(v) : bytes(v)])} />
            </Card>
            <Card title="Code statistics">
              <Kv rows={Object.entries(m.code).filter(([k]) => k !== 'collectedAt').map(([k, v]) => [words(k), bytes(v)])} />
            </Card>
            <Card title="Process memory">
              <Kv rows={Object.entries(m.process).map(([k, v]) => [words(k), bytes(v)])} />
            </Card>
          </div>
        </>
      )}
    </Page>
  );
}
