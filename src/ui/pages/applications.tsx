import { useMemo, useState } from 'preact/hooks';
import type { PackageInfo } from '../../protocol/index.js';
import { Graph } from '../components/graph.js';
import { Kv } from '../components/kv.js';
import { DataTable } from '../components/table.js';
import { useRefresh } from '../components/refresh.js';
import { useTopic } from '../conn.js';
import { bytes } from '../format.js';
import { Card, Page } from './common.js';
import { PackageSearch, useSearch } from './package-search.js';
import './applications.css';

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

/** A package's label in the diagram: its id, and how many folders it is installed at when more than one. */
const labelOf = (p: PackageInfo) => (p.paths.length > 1 ? `${p.id} ×${p.paths.length}` : p.id);

export function ApplicationsPage(props: { node: string | undefined }): preact.JSX.Element {
  const [every, refresh] = useRefresh('applications', 10_000);
  const { data: a, error } = useTopic('applications', { every, node: props.node });
  const [selected, setSelected] = useState<string | undefined>(undefined);
  const ids = useMemo(() => a?.packages.map((p) => p.id) ?? [], [a]);
  const search = useSearch(ids);
  const nodes = useMemo(() => a?.packages.map((p) => ({ id: p.id, label: labelOf(p) })) ?? [], [a]);
  const pkg = a?.packages.find((p) => p.id === selected);
  const usedBy = a && pkg ? a.edges.filter((e) => e[1] === pkg.id).map((e) => e[0]) : [];
  return (
    <Page title="Applications" controls={refresh} error={error} loading={a === undefined}>
      {a && (
        <div class="applications">
          <p class="muted">
            {a.packages.length} packages loaded ({a.looseModules} modules outside any package); the application is <strong>{a.root}</strong>. Arrows point at the package depended on. Drag to pan, wheel or +/− to zoom, click a package.
          </p>
          <div class="split">
            <Card title="Dependency diagram" wide>
              <PackageSearch search={search} />
              <Graph nodes={nodes} edges={a.edges} root={a.root} selected={selected} matches={search.matches} focus={search.current} focusSeq={search.seq} onSelect={setSelected} />
            </Card>
            <div class="side">
              {pkg && (
                <Card title={labelOf(pkg)}>
                  <Kv
                    label="Package details"
                    rows={[
                      ['Name', pkg.name],
                      ['Version', pkg.version],
                      [
                        pkg.paths.length > 1 ? `Installed at ${pkg.paths.length} folders` : 'Folder',
                        <ul class="paths">
                          {pkg.paths.map((path) => (
                            <li>{path}</li>
                          ))}
                        </ul>,
                      ],
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
                { key: 'modules', title: 'Modules', align: 'right', priority: 2 },
                { key: 'bytes', title: 'Size', align: 'right', render: (p) => bytes(p.bytes) },
                { key: 'dependencies', title: 'Depends on', value: (p) => p.dependencies.length, align: 'right', priority: 3 },
                { key: 'copies', title: 'Copies', value: (p) => p.paths.length, align: 'right', priority: 3 },
                { key: 'path', title: 'Folder', priority: 2 },
              ]}
            />
          </Card>
        </div>
      )}
    </Page>
  );
}
