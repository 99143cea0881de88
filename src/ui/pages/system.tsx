import { Kv } from '../components/kv.js';
import { useRefresh } from '../components/refresh.js';
import { useTopic } from '../conn.js';
import { bytes, num, percent, seconds } from '../format.js';
import { Card, Meter, Page } from './common.js';

export function SystemPage(props: { node: string | undefined }): preact.JSX.Element {
  const [every, refresh] = useRefresh('system', 2000);
  const { data: s, error } = useTopic('system', { every, node: props.node });
  const total = (o: Record<string, number>): number => Object.values(o).reduce((a, b) => a + b, 0);
  return (
    <Page title="System" controls={refresh} error={error} loading={s === undefined}>
      {s && (
        <>
          {s.warnings.length > 0 && (
            <ul class="warnings" role="alert">
              {s.warnings.map((w) => (
                <li>{w}</li>
              ))}
            </ul>
          )}
          <div class="cards">
            <Card title="Runtime">
              <Kv
                rows={[
                  ['Node.js', s.versions.node],
                  ['V8', s.versions.v8],
                  ['libuv', s.versions.uv],
                  ['OpenSSL', s.versions.openssl],
                  ['Platform', `${s.platform.type} ${s.platform.release} (${s.platform.arch})`],
                  ['Host', s.platform.hostname],
                ]}
              />
            </Card>
            <Card title="Process">
              <Kv
                rows={[
                  ['PID', String(s.process.pid)],
                  ['Parent PID', String(s.process.ppid)],
                  ['Uptime', seconds(s.process.uptimeSeconds)],
                  ['Working folder', s.process.cwd],
                  ['Command', s.process.argv.join(' ')],
                  ['Node flags', s.process.execArgv.join(' ') || '–'],
                ]}
              />
            </Card>
            <Card title="CPU and threads">
              <Kv
                rows={[
                  ['Model', s.cpu.model],
                  ['Cores', `${s.cpu.count} (${s.cpu.availableParallelism} available)`],
                  ['Speed', `${s.cpu.speedMHz} MHz`],
                  ['libuv thread pool', s.cpu.threadPoolSize],
                  ['Event loop utilization', percent(s.activity.eventLoopUtilization)],
                  ['Load average', s.os.loadAverage.map((x) => x.toFixed(2)).join(' · ')],
                ]}
              />
            </Card>
            <Card title="Memory">
              <Kv
                rows={[
                  ['Resident (RSS)', bytes(s.memory.rss)],
                  ['Limit', `${bytes(s.memory.limit.bytes)} (${s.memory.limit.source})`],
                  ['Used of limit', <span class="with-meter">{percent(s.memory.usedOfLimit)} <Meter fraction={s.memory.usedOfLimit} label="Resident memory of its limit" /></span>],
                  ['Heap', `${bytes(s.memory.heapUsed)} used of ${bytes(s.memory.heapTotal)}`],
                  ['Heap size limit', <span class="with-meter">{bytes(s.memory.heapSizeLimit)} <Meter fraction={s.memory.heapUsed / s.memory.heapSizeLimit} label="Heap used of its limit" /></span>],
                  ['External', bytes(s.memory.external)],
                  ['Array buffers', bytes(s.memory.arrayBuffers)],
                ]}
              />
            </Card>
            <Card title="Statistics">
              <Kv
                rows={[
                  ['Active resources', num(total(s.activity.activeResources))],
                  ...Object.entries(s.activity.activeResources).sort((a, b) => b[1] - a[1]).slice(0, 8).map(([k, v]) => [`· ${k}`, num(v)] as [string, string]),
                  ['OS memory', `${bytes(s.os.totalMemory - s.os.freeMemory)} used of ${bytes(s.os.totalMemory)}`],
                  ['OS uptime', seconds(s.os.uptimeSeconds)],
                ]}
              />
            </Card>
            <Card title="Versions">
              <Kv rows={Object.entries(s.versions).filter(([k]) => !['node', 'v8', 'uv', 'openssl'].includes(k)).map(([k, v]) => [k, v])} />
            </Card>
          </div>
        </>
      )}
    </Page>
  );
}
