// Extending wobserver as the Elixir wobserver does: a metric computed by a function,
// a custom page, a table, and a metrics format of your own.
import { createRegistry, createObserver, start } from 'wobserver';

const jobs = new Map([['job-1', { state: 'running' }], ['job-2', { state: 'queued' }]]);
const registry = createRegistry();
registry.predefine({ name: 'jobs_queued', type: 'gauge', help: 'Jobs waiting', fn: () => [...jobs.values()].filter((j) => j.state === 'queued').length });
const observer = createObserver();
observer.tables.register('jobs', jobs, { description: 'the job queue' });
observer.pages.register({ title: 'Queue', command: 'queue', refresh: 5, callback: () => ({ running: 1, queued: 1 }) });
const s = await start({
  port: Number(process.env.PORT ?? 4001),
  registry,
  observer,
  formats: {
    // InfluxDB line protocol, for /metrics?format=influx
    influx: { contentType: 'text/plain', render: (snap) => snap.families.filter((f) => f.type === 'gauge' || f.type === 'counter').map((f) => `${f.name} value=${f.values[0] ?? 0}\n`) },
  },
});
console.log(s.url);
