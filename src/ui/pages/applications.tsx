import { useState } from 'preact/hooks';
import { Graph } from '../components/graph.js';
import { Kv } from '../components/kv.js';
import { DataTable } from '../components/table.js';
import { useRefresh } from '../components/refresh.js';
import { useTopic } from '../conn.js';
import { bytes } from '../format.js';
import { Card, Page } from './common.js';

interface UnitNode {
  id: string;
  kind: string;
  label: string;
  children: UnitNode[];
}
function Tree(props: { node: UnitNode }): preact.JSX.Element {
  return (
    <li>
      <span class={`unit ${props.node.kind}`}>{props.node.label}</span>
      {props.node.children.length > 0 && (
        <ul>
          {props.node.children.map((c) => (
            <Tree node={c} />
          ))}
        </ul>
      )}
    </li>
  );
}

export function ApplicationsPage(props: { node: string | undefined }): preact.JSX.Element {
  const [every, refresh] = useRefresh('applications', 10_000);
  const { data: a, error } = useTopic('applications', { every, node: props.node });
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const [search, setSearch] = useState('');
  const pkg = a?.packages.find((p) => p.id === selected);
  const needle = search.trim().toLowerCase();
  const usedBy = a && pkg ? a.edges.filter((e) => e[1] === pkg.id).map((e) => e[0]) : [];
  return (
    <Page title="Applications" controls={refresh} error={error} loading={a === undefined}>
      {a && (
        <>
          <p class="muted">
            {a.packages.length} packages loaded ({a.looseModules} modules outside any package); the application is <strong>{a.root}</strong>. Drag to pan, wheel to zoom, click a package.
          </p>
          <div class="split">
            <Card title="Dependency diagram" wide>
              <input type="search" placeholder="Highlight packages" aria-label="Highlight packages" value={search} onInput={(e) => setSearch((e.target as HTMLInputElement).value)} />
              <Graph
                nodes={a.packages.map((p) => ({ id: p.id, label: p.id }))}
                edges={a.edges}
                root={a.root}
                selected={selected}
                highlight={(id) => needle !== '' && id.toLowerCase().includes(needle)}
                onSelect={setSelected}
              />
            </Card>
            <div class="side">
              {pkg && (
                <Card title={pkg.id}>
                  <Kv
                    label="Package details"
                    rows={[
                      ['Name', pkg.name],
                      ['Version', pkg.version],
                      ['Folder', pkg.path],
                      ['Modules loaded', pkg.modules],
                      ['Size on disk', bytes(pkg.bytes)],
                      ['Depends on', pkg.dependencies.join(', ') || '–'],
                      ['Used by', usedBy.join(', ') || '–'],
                    ]}
                  />
                </Card>
              )}
              <Card title="Execution units">
                <ul class="tree" aria-label="Execution units">
                  <Tree node={a.units} />
                </ul>
              </Card>
            </div>
          </div>
          <Card title="Packages" wide>
            <DataTable
              label="packages"
              rows={a.packages}
              rowKey={(p) => p.id}
              selected={selected}
              onRow={(p) => setSelected(p.id)}
              defaultSort={{ key: 'bytes', desc: true }}
              columns={[
                { key: 'name', title: 'Package' },
                { key: 'version', title: 'Version' },
                { key: 'modules', title: 'Modules', align: 'right' },
                { key: 'bytes', title: 'Size', align: 'right', render: (p) => bytes(p.bytes) },
                { key: 'dependencies', title: 'Depends on', value: (p) => p.dependencies.length, align: 'right' },
                { key: 'path', title: 'Folder' },
              ]}
            />
          </Card>
        </>
      )}
    </Page>
  );
}
