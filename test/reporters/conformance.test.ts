// One suite for every push reporter (Graphite, StatsD, and a user's own built on the
// public PushReporter interface), in the manner of Hono's shared router tests:
// `reporterConformance()` is called once per reporter, each against the same
// fault-injecting receiver for its transport. Graphite and the user's reporter speak
// TCP to the RecordingReceiver, which refuses and restarts, resets mid-write, stops
// reading (the sender's window closes) and black-holes; each reporter must get every
// interval through each of them. StatsD speaks UDP, to a datagram receiver: a
// datagram has no connection to reset, stall or black-hole, and a lost one cannot be
// known, so its fault is the receiver going away and coming back.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { test } from 'node:test';
import { GraphiteReporter, type PushReporter, StatsdReporter, createRegistry, type Registry } from '../../src/index.js';
import { LineReporter } from '../helpers/line-reporter.js';
import { RecordingReceiver } from '../helpers/recording-receiver.js';
import { until, untilTrue } from '../helpers/until.js';
import { watchHost } from '../helpers/watch-host.js';

const quiet = { log: () => undefined };

/** A receiver the reporter under test sends to, read back as `metric name → values`, in arrival order, every copy counted. */
interface Receiver {
  /** Every value received for the metric `name` (its own name, no prefix, no labels), duplicates included. */
  values(name: string): string[];
  /** Every point received, whatever its name. */
  total(): number;
  /** Distinct (name, interval) points whose name starts with `prefix`, labels included in the name: copies counted once. */
  distinct(prefix: string): number;
  /** The receiver dies: nothing listens any more. */
  kill(): Promise<void>;
  /** Starts a fault; `heal()` ends it. */
  fault(kind: Fault): Promise<void>;
  heal(kind: Fault): Promise<void>;
  close(): Promise<void>;
}

/**
 * The faults of a receiver: `restart` (it refuses connections, then listens again on
 * the same port), `reset` (the connection is reset in the middle of a write),
 * `stall` (it stops reading, so the sender's window closes, then reads again),
 * `blackhole` (it accepts and never reads, then resets those connections unread).
 */
type Fault = 'restart' | 'reset' | 'stall' | 'blackhole';

interface Implementation {
  receiver(): Promise<Receiver & { port: number }>;
  /** `faults`: timeouts short enough for a test that injects faults (the defaults are tuned for production). */
  reporter(registry: Registry, port: number, faults?: boolean): PushReporter;
  /** Whether it can know that a send failed (TCP can; a UDP datagram to a closed port leaves all the same). */
  knowsFailure: boolean;
  /** The faults its transport can meet. */
  faults: readonly Fault[];
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
    distinct: (prefix) => rx.count(prefix),
    kill: () => rx.refuse(),
    fault: async (kind) => {
      if (kind === 'restart') await rx.refuse();
      // A few bytes into the next write: the cut falls inside a line, which is not recorded.
      else if (kind === 'reset') rx.resetAfter(7);
      else if (kind === 'stall') rx.stall();
      else rx.blackhole();
    },
    heal: async (kind) => {
      if (kind === 'restart') await rx.accept();
      else if (kind === 'stall') rx.resume();
      else if (kind === 'blackhole') rx.endBlackhole();
    },
    close: () => rx.close(),
  };
}

/** StatsD lines (`name:value|type`), one datagram holding several. */
async function udpReceiver(): Promise<Receiver & { port: number }> {
  const lines: string[] = [];
  const bind = (port: number): Promise<ReturnType<typeof createSocket>> => {
    const s = createSocket('udp4');
    s.on('message', (m) => lines.push(...m.toString().split('\n').filter((l) => l !== '')));
    return new Promise((resolve) => s.bind(port, '127.0.0.1', () => resolve(s)));
  };
  let socket: ReturnType<typeof createSocket> | undefined = await bind(0);
  const port = socket.address().port;
  const close = async (): Promise<void> => {
    const s = socket;
    socket = undefined;
    if (s !== undefined) await new Promise<void>((resolve) => s.close(() => resolve()));
  };
  return {
    port,
    values: (name) => lines.filter((l) => l.split(':')[0] === name).map((l) => l.split(':')[1]!.split('|')[0]!),
    total: () => lines.length,
    distinct: (prefix) => new Set(lines.filter((l) => l.startsWith(prefix))).size,
    kill: close,
    fault: close,
    heal: async () => {
      socket ??= await bind(port);
    },
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
    const host = watchHost();
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
      assert.deepEqual(host.faults, [], 'nothing was thrown into the application');
      assert.equal(rx.total(), 0, 'nothing arrived');
      assert.notEqual(reporter.health().state, 'connected');
    } finally {
      host.stop();
      await reporter.stop(100);
      registry.close();
      await rx.close();
    }
  });

  for (const kind of impl.faults) {
    const promise = impl.knowsFailure
      ? 'every interval that closed before, during and after it arrives, with its own value, nothing counted as dropped'
      : 'the intervals before and after it arrive (a datagram lost meanwhile cannot be known)';
    test(`${name}: a receiver that ${FAULT_TEXT[kind]}: ${promise}, and nothing reaches the application`, async () => {
      const rx = await impl.receiver();
      const { registry, step } = stepped();
      const reporter = impl.reporter(registry, rx.port, true);
      const host = watchHost();
      const c = registry.counter({ name: 'conformance_total' });
      // A stall or a black hole holds up a write only once the socket's buffers are full:
      // 20,000 series (about 1 MB an interval) fill them, then the window closes for real.
      const heavy = kind === 'stall' || kind === 'blackhole';
      const bulk = heavy ? registry.counter({ name: 'conformance_bulk_total', labelNames: ['i'], maxSeries: 20_000 }) : undefined;
      // Interval i counts i: which interval a value came from is its value.
      const interval = async (i: number): Promise<void> => {
        c.inc(i);
        for (let k = 0; bulk !== undefined && k < 20_000; k++) bulk.inc({ i: `series-${k}` });
        await step();
        // Not awaited: during a stall a flush waits for its write, as it should; the application never does.
        void reporter.flush();
      };
      try {
        reporter.start();
        await interval(1);
        await untilTrue(() => rx.values('conformance_total').includes('1'), 'the first interval, before the fault');
        await rx.fault(kind);
        const faultStarted = Date.now();
        for (let i = 2; i <= 4; i++) {
          await interval(i);
          await new Promise((r) => setTimeout(r, 150));
        }
        // Held past every send timeout (the fault options' and the user reporter's 2 s), so that a write gives up. After a
        // stall the kernel may still deliver what it had accepted of that write; after a black hole, whose connections are
        // reset unread, nothing of it arrives, so there what was given up must go again.
        if (heavy) await new Promise((r) => setTimeout(r, Math.max(0, 2500 - (Date.now() - faultStarted))));
        assert.doesNotThrow(() => c.inc(0), 'the application updates on');
        await rx.heal(kind);
        await interval(5);
        const want = impl.knowsFailure ? ['1', '2', '3', '4', '5'] : ['1', '5'];
        // The reporter's own timer flushes every second; nothing here pushes it.
        await until(
          () => [...new Set(rx.values('conformance_total'))].sort(),
          (got) => want.every((v) => got.includes(v)),
          `intervals ${want.join(', ')} after the fault healed`,
          20_000,
        );
        if (heavy) {
          // A write cut by the fault delivered its first lines: every series of every interval must arrive, not only the first line of each.
          await until(() => rx.distinct('conformance_bulk_total'), (n) => n === 5 * 20_000, 'all 20,000 series of all five intervals');
        }
        const got = rx.values('conformance_total');
        assert.deepEqual(
          got.filter((v) => !['1', '2', '3', '4', '5'].includes(v)),
          [],
          'no value but the intervals\' own: nothing merged or cut',
        );
        if (impl.knowsFailure) assert.equal(reporter.health().dropped, 0, 'nothing dropped');
        await new Promise((r) => setTimeout(r, 50));
        assert.deepEqual(host.faults, [], 'nothing was thrown into the application');
      } finally {
        host.stop();
        await reporter.stop(300);
        registry.close();
        await rx.close();
      }
    });
  }
}

const FAULT_TEXT: Record<Fault, string> = {
  restart: 'goes away and comes back on the same port',
  reset: 'resets the connection in the middle of a write',
  stall: 'stops reading until the sender\'s window closes, then reads again',
  blackhole: 'accepts and never reads, then resets those connections unread',
};

const TCP_FAULTS: readonly Fault[] = ['restart', 'reset', 'stall', 'blackhole'];

reporterConformance('Graphite', {
  receiver: tcpReceiver,
  reporter: (registry, port, faults) =>
    new GraphiteReporter(registry, {
      port,
      period: 1,
      ...quiet,
      ...(faults ? { stallMs: 300, sendTimeoutMs: 1500, connectTimeoutMs: 500, retryMinMs: 50, retryMaxMs: 200, resendWindowMs: 5000 } : {}),
    }),
  knowsFailure: true,
  faults: TCP_FAULTS,
});

reporterConformance('StatsD', {
  receiver: udpReceiver,
  reporter: (registry, port) => new StatsdReporter(registry, { port, period: 1, ...quiet }),
  knowsFailure: false,
  faults: ['restart'],
});

reporterConformance("a user's own reporter on the public PushReporter interface", {
  receiver: tcpReceiver,
  reporter: (registry, port) => new LineReporter(registry, { port, period: 1 }),
  knowsFailure: true,
  faults: TCP_FAULTS,
});
