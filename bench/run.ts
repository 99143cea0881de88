// `npm run bench [-- name ...]`: every hot path against its anchor (prom-client, express-status-monitor), in the same run.
import { mkdirSync, writeFileSync } from 'node:fs';
import { type Result, printTable } from './harness.js';
import { type FlushBench, graphiteFlushInChild, printFlush } from './graphite-flush.js';
import { type FleetBench, fleet as fleetBench, printFleet } from './fleet.js';
import { type FleetPageBench, fleetPage, printFleetPage } from './fleet-page.js';
import { heapAnalysis } from './heap-analysis.js';
import { hostImpact } from './host-impact.js';
import { trafficImpact } from './traffic-impact.js';
import { logCapture } from './log-capture.js';
import { incBound } from './inc-bound.js';
import { incLabels } from './inc-labels.js';
import { diagram } from './diagram.js';
import { flame } from './flame.js';
import { memory } from './memory.js';
import { observeLabels } from './observe-labels.js';
import { profiles } from './profiles.js';
import { render } from './render.js';
import { sampler } from './sampler.js';
import { renderBlocking } from './render-blocking.js';
import { printRuntime, runtimePages, type RuntimeBench } from './runtime-pages.js';
import { tables } from './tables.js';
import { watchdog } from './watchdog.js';

const BENCHES: Record<string, () => Result | Result[] | Promise<Result | Result[]>> = {
  'inc-labels': incLabels,
  'inc-bound': incBound,
  'observe-labels': observeLabels,
  render,
  'render-blocking': renderBlocking,
  memory,
  sampler,
  'runtime-pages': () => [],
  'host-impact': hostImpact,
  'traffic-impact': trafficImpact,
  'log-capture': logCapture,
  'graphite-flush': () => [],
  fleet: () => [],
  'fleet-page': () => [],
  tables,
  diagram,
  'heap-analysis': heapAnalysis,
  flame,
  profiles,
  watchdog,
};

const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !(w in BENCHES));
if (unknown.length > 0) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`);
  process.exit(2);
}
if ((globalThis as { gc?: unknown }).gc === undefined) console.warn('run with --expose-gc (npm run bench does) for steadier numbers');

const results: Result[] = [];
let runtime: RuntimeBench | undefined;
let flush: FlushBench | undefined;
let fleetResult: FleetBench | undefined;
let fleetPageResult: FleetPageBench | undefined;
for (const [name, run] of Object.entries(BENCHES)) {
  if (wanted.length > 0 && !wanted.includes(name)) continue;
  if (name === 'fleet') {
    process.stdout.write(`running ${name}...\n`);
    fleetResult = await fleetBench();
    continue;
  }
  if (name === 'fleet-page') {
    process.stdout.write(`running ${name}...\n`);
    fleetPageResult = await fleetPage();
    continue;
  }
  if (name === 'graphite-flush') {
    process.stdout.write(`running ${name}...\n`);
    flush = await graphiteFlushInChild();
    continue;
  }
  if (name === 'runtime-pages') {
    process.stdout.write(`running ${name}...\n`);
    runtime = await runtimePages();
    continue;
  }
  process.stdout.write(`running ${name}...\n`);
  const r = await run();
  results.push(...(Array.isArray(r) ? r : [r]));
}
console.log('');
console.log(`node ${process.version}, medians of interleaved rounds; ratio = how many times better wobserver is`);
if (results.length > 0) printTable(results);
if (runtime !== undefined) printRuntime(runtime);
if (flush !== undefined) printFlush(flush);
if (fleetResult !== undefined) printFleet(fleetResult);
if (fleetPageResult !== undefined) printFleetPage(fleetPageResult);
mkdirSync('.bench-out', { recursive: true });
writeFileSync('.bench-out/results.json', `${JSON.stringify({ node: process.version, date: new Date().toISOString(), results, runtime, flush, fleet: fleetResult, fleetPage: fleetPageResult }, null, 2)}\n`);
