// One suite for every push reporter (Graphite, StatsD, and a user's own built on the
// public PushReporter interface), in the manner of Hono's shared router tests:
// `reporterConformance()` is called once per reporter, each against a receiver that
// can be killed. Graphite and the user's reporter speak TCP to the same
// fault-injecting RecordingReceiver; StatsD speaks UDP, to a datagram receiver.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import { GraphiteReporter, type PushReporter, StatsdReporter, createRegistry, type Registry } from '../../src/index.js';
import { LineReporter } from '../helpers/line-reporter.js';
import { RecordingReceiver } from '../helpers/recording-receiver.js';
import { untilTrue } from '../helpers/until.js';

const quiet = { log: () => undefined };

/** A receiver the reporter under test sends to, read back as `metric name → values`, in arrival order, every copy counted. */
interface Receiver {
  /** Every value received for the metric `name` (its own name, no prefix, no labels), duplicates included. */
  values(name: string): string[];
  /** Every point received, whatever its name. */
  total(): number;
  /** The receiver dies: nothing listens any more. */
  kill(): Promise<void>;
  close(): Promise<void>;
}

interface Implementation {
  receiver(): Promise<Receiver & { port: number }>;
  reporter(registry: Registry, port: number): PushReporter;
  /** Whether it can know that a send failed (TCP can; a UDP datagram to a closed port leaves all the same). */
  knowsFailure: boolean;
}

/** Graphite plaintext (`name value timestamp`) as the RecordingReceiver stores it. */
async function tcpReceiver(): Promise<Receiver & { port: number }> {
  const rx = await new RecordingReceiver().listen();
  return {
    port: rx.port,
    values: (name) =>
      [...rx.points.entries()]
        .filter(([key]) => key.split(' ')[0] === name)
        .sort(([a], [b]) => Number(a.split(' ')[1]) - Number(b.split(' ')[1]))
        .flatMap(([, r]) => Array.from({ length: r.times }, () => r.value)),
    total: () => [...rx.points.values()].reduce((n, r) => n + r.times, 0),
    kill: () => rx.refuse(),
    close: () => rx.close(),
  };
}

/** StatsD lines (`name:value|type`), one datagram holding several. */
async function udpReceiver(): Promise<Receiver & { port: number }> {
  const lines: string[] = [];
  const s = createSocket('udp4');
  s.on('message', (m) => lines.push(...m.toString().split('\n').filter((l) => l !== '')));
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  let open = true;
  const close = async (): Promise<void> => {
    if (!open) return;
    open = false;
    await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  return {
    port: s.address().port,
    values: (name) => lines.filter((l) => l.split(':')[0] === name).map((l) => l.split(':')[1]!.split('|')[0]!),
    total: () => lines.length,
    kill: close,
    close,
  };
}

/** A registry on a clock the test moves: intervals of 1 s closed when the test says. */
function stepped(): { registry: Registry; step(): Promise<void> } {
  let now = 1_700_000_000_000;
  const registry = createRegistry({ runtimeMetrics: false, period: 1000, keep: 2, clock: () => now });
  return {
    registry,
    step: async () => {
      now += 1000;
      await registry.closeInterval(now);
    },
  };
}

/**
 * What every push reporter does: each closed interval reaches the receiver once, its
 * health counts exactly what it sent, `stop()` sends what is left, and a receiver that
 * is gone never reaches the application as an exception.
 */
function reporterConformance(name: string, impl: Implementation): void {
  test(`${name}: every closed interval is delivered once, also more of them than the registry keeps, and health counts exactly what was sent`, async () => {
    const rx = await impl.receiver();
    const { registry, step } = stepped();
    const reporter = impl.reporter(registry, rx.port);
    try {
      reporter.start();
      const c = registry.counter({ name: 'conformance_total' });
      for (let i = 1; i <= 5; i++) {
        c.inc(i);
        await step();
      }
      await reporter.flush();
      await untilTrue(() => rx.values('conformance_total').length >= 5, 'five intervals');
      await reporter.flush();
      await untilTrue(() => rx.total() === reporter.health().sent, `the receiver got what health says was sent (${reporter.health().sent})`);
      assert.deepEqual(rx.values('conformance_total'), ['1', '2', '3', '4', '5'], 'each interval once, in order');
      const h = reporter.health();
      assert.equal(h.sent, rx.total());
      assert.equal(h.dropped, 0);
      // Graphite keeps what it wrote until carbon must have it (its resend window), as `unconfirmed` inside `queued`: none of it waits to be sent.
      assert.equal(h.queued - ((h as { unconfirmed?: number }).unconfirmed ?? 0), 0, 'nothing waits to be sent');
      assert.equal(h.resent, 0);
      assert.ok(h.lastSuccessfulFlush > 0);
    } finally {
      await reporter.stop(500);
      registry.close();
      await rx.close();
    }
  });

  test(`${name}: stop() sends the intervals that closed since the last flush`, async () => {
    const rx = await impl.receiver();
    const { registry, step } = stepped();
    const reporter = impl.reporter(registry, rx.port);
    try {
      reporter.start();
      registry.counter({ name: 'conformance_total' }).inc(7);
      await step();
      await reporter.stop(2000);
      await untilTrue(() => rx.values('conformance_total').length >= 1, 'the last interval');
      assert.deepEqual(rx.values('conformance_total'), ['7']);
      assert.equal(reporter.health().state, 'stopped');
    } finally {
      await reporter.stop(100);
      registry.close();
      await rx.close();
    }
  });

  test(`${name}: a dead receiver never throws into the application: flush and stop resolve, updates go on; over TCP nothing is counted as sent and what failed waits`, async () => {
    const rx = await impl.receiver();
    const { registry, step } = stepped();
    const reporter = impl.reporter(registry, rx.port);
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown): void => void uncaught.push(e);
    process.on('uncaughtException', onUncaught);
    process.on('unhandledRejection', onUncaught);
    try {
      reporter.start();
      await rx.kill();
      const c = registry.counter({ name: 'conformance_total' });
      for (let i = 1; i <= 3; i++) {
        c.inc(i);
        await step();
        await reporter.flush();
      }
      assert.doesNotThrow(() => c.inc(1), 'the application updates on');
      if (impl.knowsFailure) {
        const h = reporter.health();
        assert.equal(h.sent, 0, 'nothing is counted as sent');
        assert.ok(h.queued >= 3, `what could not be sent waits for the next flush (${h.queued} queued)`);
      }
      await reporter.stop(300);
      await new Promise((r) => setTimeout(r, 100));
      assert.deepEqual(uncaught, []);
      assert.equal(rx.total(), 0, 'nothing arrived');
      assert.notEqual(reporter.health().state, 'connected');
    } finally {
      process.off('uncaughtException', onUncaught);
      process.off('unhandledRejection', onUncaught);
      await reporter.stop(100);
      registry.close();
      await rx.close();
    }
  });
}

reporterConformance('Graphite', {
  receiver: tcpReceiver,
  reporter: (registry, port) => new GraphiteReporter(registry, { port, period: 1, ...quiet }),
  knowsFailure: true,
});

reporterConformance('StatsD', {
  receiver: udpReceiver,
  reporter: (registry, port) => new StatsdReporter(registry, { port, period: 1, ...quiet }),
  knowsFailure: false,
});

reporterConformance("a user's own reporter on the public PushReporter interface", {
  receiver: tcpReceiver,
  reporter: (registry, port) => new LineReporter(registry, { port, period: 1 }),
  knowsFailure: true,
});
