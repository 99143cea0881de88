import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EventLoopUtilization } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { Diagnostics } from '../../src/runtime/diagnostics.js';
import { ProfileTriggerWatch, resolveTriggers } from '../../src/runtime/profiles/triggers.js';
import { createRedactor } from '../../src/runtime/redact.js';
import { cpuFunctions } from '../helpers/hot-worker.js';
import { ManualSchedule } from '../helpers/manual-schedule.js';
import { until } from '../helpers/until.js';

/**
 * Spins on the main thread in 40 ms slices, turning the loop between them
 * (each slice is its own setImmediate callback, so that V8 cannot inline it into
 * a caller and the profile names it), until `stop()`: ELU near 1.
 */
function startBusyMainLoop(): { stop(): Promise<void> } {
  let on = true;
  let x = 0;
  let finished: () => void;
  const done = new Promise<void>((r) => (finished = r));
  function busyMainLoop(): void {
    const until = Date.now() + 40;
    while (Date.now() < until) for (let i = 0; i < 1e4; i++) x += Math.sqrt(i);
    if (on) setImmediate(busyMainLoop);
    else finished();
  }
  setImmediate(busyMainLoop);
  return {
    stop: async () => {
      on = false;
      await done;
      assert.ok(x > 0);
    },
  };
}

test('the ELU trigger takes a CPU profile of a real busy loop once utilization stayed high for forMs, and only one per minIntervalMs', { timeout: 30_000 }, async () => {
  // The test runner's own start-up keeps the loop busy for a moment: the trigger starts watching after it.
  await sleep(300);
  const d = new Diagnostics(createRedactor(), { cpuSamplingIntervalUs: 200, triggers: { elu: { threshold: 0.5, forMs: 200, profileMs: 300 }, sampleMs: 50 } });
  let busy: { stop(): Promise<void> } | undefined;
  try {
    assert.deepEqual(d.triggers, { elu: { threshold: 0.5, forMs: 200, profileMs: 300 }, block: null, minIntervalMs: 60_000 });
    await sleep(400);
    assert.equal(d.state().running, null, 'an idle loop triggers nothing');
    assert.equal(d.profiles().length, 0);
    busy = startBusyMainLoop();
    const [entry] = await until(() => d.profiles(), (p) => p.length > 0, 'a triggered profile in the ring');
    assert.equal(entry?.trigger, 'elu');
    assert.deepEqual(entry?.thread, { id: 0, name: 'main' });
    const names = cpuFunctions(JSON.parse(d.profile(entry!.id)!.json));
    assert.ok(names.includes('busyMainLoop'), `the busy function is in it: ${names.join()}`);
    await sleep(600);
    assert.equal(d.profiles().length, 1, 'still busy, but minIntervalMs has not passed');
  } finally {
    await busy?.stop();
    d.close();
  }
});

/** Event-loop utilization the test sets per sample: cumulative readings, and deltas from a previous one, as perf_hooks gives them. */
function scriptedElu(): { elu: (prev?: EventLoopUtilization) => EventLoopUtilization; next(u: number): void } {
  let active = 0;
  let idle = 0;
  return {
    elu: (prev) => {
      if (prev === undefined) return { active, idle, utilization: active / Math.max(1, active + idle) };
      const a = active - prev.active;
      const i = idle - prev.idle;
      return { active: a, idle: i, utilization: a / Math.max(1, a + i) };
    },
    next(u) {
      active += 100 * u;
      idle += 100 * (1 - u);
    },
  };
}

/** Lets the promise chains of a start settle. */
const flush = () => new Promise((r) => setImmediate(r));

test('the ELU trigger fires after forMs above the threshold, a dip starts the wait again, a refused start does not count, and minIntervalMs spaces them', async () => {
  const schedule = new ManualSchedule();
  const src = scriptedElu();
  let now = 0;
  const starts: string[] = [];
  let accept = true;
  const w = new ProfileTriggerWatch(resolveTriggers({ elu: { threshold: 0.9, forMs: 300, profileMs: 50 }, minIntervalMs: 1000, sampleMs: 100 }), (trigger, ms) => {
    starts.push(`${trigger}:${ms}:${now}`);
    return Promise.resolve(accept);
  }, { schedule: schedule.schedule, now: () => now, elu: src.elu });
  const sample = (u: number) => {
    now += 100;
    src.next(u);
    schedule.tick();
  };
  w.start();
  assert.equal(schedule.lastMs, 100);
  for (const u of [0.95, 0.95, 0.5, 0.95, 0.95]) sample(u);
  assert.deepEqual(starts, [], 'never 300 ms in a row above 0.9');
  sample(0.95);
  assert.deepEqual(starts, ['elu:50:600'], 'the third 100 ms window above it');
  await flush();
  for (let i = 0; i < 9; i++) sample(1);
  assert.deepEqual(starts, ['elu:50:600'], 'not again within minIntervalMs');
  await flush();
  sample(1);
  assert.deepEqual(starts, ['elu:50:600', 'elu:50:1600']);
  accept = false;
  await flush();
  for (let i = 0; i < 10; i++) sample(1);
  await flush();
  accept = true;
  sample(1);
  await flush();
  assert.equal(starts.length, 3 + 1, 'refused at 2600, retried as soon as it could start');
  assert.equal(starts.at(-1), 'elu:50:2700');
  assert.equal(w.fired.elu, 2 + 1);
  w.close();
  assert.equal(schedule.active, 0, 'close() stops the sampler');
});

test('the block trigger starts a CPU profile when the block source calls its listener, not while another diagnostic runs, at most once per minIntervalMs', { timeout: 30_000 }, async () => {
  const listeners = new Set<() => void>();
  const onBlock = (l: () => void) => {
    listeners.add(l);
    return () => void listeners.delete(l);
  };
  const block = () => {
    for (const l of listeners) l();
  };
  const d = new Diagnostics(createRedactor(), { triggers: { block: { profileMs: 150 }, minIntervalMs: 60_000 } }, { onBlock });
  try {
    assert.equal(listeners.size, 1, 'subscribed at once');
    await d.startHeapProfile();
    block();
    await sleep(50);
    assert.equal(d.state().running?.kind, 'heap-profile', 'a block during a manual diagnostic starts nothing');
    await d.stop('heap-profile');
    block();
    await until(() => d.state().running, (r) => r !== null, 'the triggered profile runs');
    assert.equal(d.state().running?.trigger, 'block');
    assert.ok(d.state().running!.stopsAt - d.state().running!.startedAt === 150);
    const [entry] = await until(() => d.profiles().filter((p) => p.trigger === 'block'), (p) => p.length === 1, 'the block profile in the ring');
    assert.equal(entry?.kind, 'cpu-profile');
    assert.equal(d.state().finished, null, 'a triggered profile waits for nobody');
    block();
    await sleep(50);
    assert.equal(d.state().running, null, 'not again within minIntervalMs');
  } finally {
    d.close();
  }
  assert.equal(listeners.size, 0, 'close() unsubscribes');
  const off = new Diagnostics(createRedactor(), {}, { onBlock });
  off.connectBlocks(onBlock);
  assert.equal(listeners.size, 0, 'with the block trigger off nothing subscribes');
  off.close();
});

test('trigger options are checked with the bad value named; a trigger cannot outlast maxProfileMs', () => {
  assert.throws(() => resolveTriggers({ elu: { threshold: 1.5 } }), { code: 'DIAGNOSTICS_INVALID', message: /triggers\.elu\.threshold .*1\.5/ });
  assert.throws(() => resolveTriggers({ minIntervalMs: -1 }), { code: 'DIAGNOSTICS_INVALID', message: /triggers\.minIntervalMs/ });
  assert.throws(() => new Diagnostics(createRedactor(), { maxProfileMs: 1000, triggers: { block: true } }), { code: 'DIAGNOSTICS_INVALID', message: /triggers\.block\.profileMs \(2000\) must be at most maxProfileMs \(1000\)/ });
  assert.deepEqual(resolveTriggers({ elu: true, block: true }), { elu: { threshold: 0.9, forMs: 5000, profileMs: 5000 }, block: { profileMs: 2000 }, minIntervalMs: 60_000, sampleMs: 1000 });
  assert.deepEqual(resolveTriggers(), { elu: null, block: null, minIntervalMs: 60_000, sampleMs: 1000 });
});
