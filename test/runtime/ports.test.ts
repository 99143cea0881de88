import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { watch } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { kindOf, portsInfo, reportRow } from '../../src/runtime/ports.js';
import { SocketTracker } from '../../src/runtime/sockets.js';

test('the Ports page lists servers, sockets with addresses and bytes, UDP, watchers, signals, timers and child processes', async () => {
  const sockets = new SocketTracker();
  sockets.start();
  const server = createServer((s) => s.on('data', (d) => s.write(d)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const client = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => client.once('connect', resolve));
  await new Promise<void>((resolve) => {
    client.once('data', () => resolve());
    client.write('hello');
  });
  const udp = createSocket('udp4');
  await new Promise<void>((resolve) => udp.bind(0, '127.0.0.1', resolve));
  const watcher = watch(tmpdir());
  const onSignal = (): void => undefined;
  process.on('SIGUSR2', onSignal);
  const timer = setInterval(() => undefined, 60_000);
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], { stdio: 'ignore' });
  try {
    const p = portsInfo(sockets);
    assert.equal(p.source, 'report');
    const tcp = p.handles.filter((h) => h.type === 'tcp');
    const listening = tcp.find((h) => h.state === 'listening' && h.local?.port === port);
    assert.ok(listening, JSON.stringify(tcp));
    const mine = tcp.find((h) => h.state === 'connected' && h.remote?.port === port);
    assert.ok(mine, 'the client socket, with its remote address');
    assert.equal(mine.local?.address, '127.0.0.1');
    assert.equal(mine.bytesWritten, 5);
    assert.equal(mine.bytesRead, 5);
    assert.ok(p.handles.some((h) => h.type === 'udp' && h.local?.address === '127.0.0.1'));
    assert.ok(p.handles.some((h) => h.type === 'fs_event' && h.path === tmpdir()));
    assert.ok(p.handles.some((h) => h.type === 'signal' && h.signal === 'SIGUSR2'));
    assert.ok(p.handles.some((h) => h.type === 'timer'));
    assert.ok(p.handles.some((h) => h.type === 'process' && h.pid === child.pid));
    assert.ok((p.counts.tcp ?? 0) >= 3);
    assert.ok(!('async' in p.counts), 'libuv internals are not counted');
    if (process.platform === 'linux') {
      assert.ok(p.fds !== null && p.fds.some((f) => f.target.startsWith('socket:')));
    }
    assert.doesNotThrow(() => JSON.stringify(p));
    assert.equal((process.report as unknown as { excludeNetwork: boolean }).excludeNetwork, false, 'the setting is restored');
  } finally {
    child.kill();
    clearInterval(timer);
    process.off('SIGUSR2', onSignal);
    watcher.close();
    udp.close();
    client.destroy();
    server.close();
    sockets.stop();
  }
});

test('with many handles the cheap path lists tracked sockets with bytes, servers, children and signals', async () => {
  const sockets = new SocketTracker();
  sockets.start();
  const server = createServer((s) => s.on('data', (d) => s.write(d)));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const client = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => client.once('connect', resolve));
  await new Promise<void>((resolve) => {
    client.once('data', () => resolve());
    client.write('hello!');
  });
  const onSignal = (): void => undefined;
  process.on('SIGUSR2', onSignal);
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 10000)'], { stdio: 'ignore' });
  try {
    const p = portsInfo(sockets, { maxReportHandles: 0 });
    assert.equal(p.source, 'handles');
    assert.ok(p.handles.some((h) => h.type === 'tcp' && h.state === 'listening' && h.local?.port === port));
    const mine = p.handles.find((h) => h.type === 'tcp' && h.remote?.port === port);
    assert.ok(mine);
    assert.equal(mine.bytesWritten, 6);
    assert.equal(mine.bytesRead, 6);
    assert.ok(mine.fd !== undefined && mine.fd > 2);
    assert.ok(p.handles.some((h) => h.type === 'process' && h.pid === child.pid));
    assert.ok(p.handles.some((h) => h.type === 'signal' && h.signal === 'SIGUSR2'));
    assert.equal(portsInfo(sockets, { maxReportHandles: 0, full: true }).source, 'report');
    const cut = portsInfo(sockets, { maxReportHandles: 0, limit: 1 });
    assert.equal(cut.handles.length, 1);
    assert.ok(cut.total >= 4 && cut.truncated);
    assert.ok((cut.counts.tcp ?? 0) >= 3, 'counts cover every handle, not only those returned');
  } finally {
    child.kill();
    process.off('SIGUSR2', onSignal);
    client.destroy();
    server.close();
    sockets.stop();
  }
});

test('every handle is in exactly one group: the kinds sum to the total, on both paths and when the list is cut', async () => {
  const sockets = new SocketTracker();
  sockets.start();
  const server = createServer(() => undefined);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const accepted = new Promise<void>((resolve) => server.once('connection', () => resolve()));
  const client = connect(port, '127.0.0.1');
  await new Promise<void>((resolve) => client.once('connect', resolve));
  await accepted;
  const timer = setInterval(() => undefined, 60_000);
  const watcher = watch(tmpdir());
  try {
    for (const options of [{}, { maxReportHandles: 0 }, { limit: 2 }, { maxReportHandles: 0, limit: 2 }]) {
      const p = portsInfo(sockets, options);
      const sum = Object.values(p.kinds).reduce((a, b) => a + b, 0);
      assert.equal(sum, p.total, `${JSON.stringify(options)}: ${JSON.stringify(p.kinds)} sum to ${p.total}`);
      assert.ok(p.kinds.server >= 1 && p.kinds.socket >= 2, JSON.stringify(p.kinds));
      if (!p.truncated) {
        for (const kind of Object.keys(p.kinds) as (keyof typeof p.kinds)[]) {
          assert.equal(p.handles.filter((h) => h.kind === kind).length, p.kinds[kind], `the ${kind} rows are those counted`);
        }
      }
    }
    const p = portsInfo(sockets);
    assert.ok(p.kinds.internal > 0, 'libuv internals have their own group (the report has them)');
    const listening = p.handles.find((h) => h.kind === 'server' && h.local?.port === port);
    assert.equal(listening?.connections, 1, 'the server counts the connection it accepted');
    const inbound = p.handles.find((h) => h.kind === 'socket' && h.local?.port === port);
    assert.equal(inbound?.direction, 'inbound');
    const outbound = p.handles.find((h) => h.kind === 'socket' && h.remote?.port === port);
    assert.equal(outbound?.direction, 'outbound');
    assert.equal(typeof outbound?.ageMs, 'number', 'a tracked socket has an age');
    assert.ok(p.handles.some((h) => h.kind === 'watcher' && h.path === tmpdir()));
  } finally {
    watcher.close();
    clearInterval(timer);
    client.destroy();
    server.close();
    sockets.stop();
  }
});

test('kindOf puts each libuv type in its group, a listening socket among the servers and unknown types in other', () => {
  const k = (type: string, state?: 'listening' | 'connected' | 'closed', internal = false) => kindOf({ type, state, internal });
  assert.deepEqual(
    [k('tcp', 'listening'), k('tcp', 'connected'), k('tcp', 'closed'), k('udp'), k('pipe'), k('pipe', 'listening'), k('tty'), k('timer'), k('fs_event'), k('fs_poll'), k('process'), k('signal'), k('async', undefined, true), k('poll')],
    ['server', 'socket', 'socket', 'socket', 'pipe', 'server', 'pipe', 'timer', 'watcher', 'watcher', 'process', 'signal', 'internal', 'other'],
  );
});

test('an inactive timer has no "fires in" (null, never negative); one overdue fires in 0', () => {
  const inactive = reportRow({ type: 'timer', is_active: false, is_referenced: false, repeat: 0, firesInMsFromNow: -81_234 });
  assert.equal(inactive.firesInMs, null);
  assert.equal(inactive.kind, 'timer');
  assert.equal(reportRow({ type: 'timer', is_active: true, is_referenced: true, repeat: 0, firesInMsFromNow: -3 }).firesInMs, 0);
  const armed = reportRow({ type: 'timer', is_active: true, is_referenced: true, repeat: 1000, firesInMsFromNow: 420 });
  assert.equal(armed.firesInMs, 420);
  assert.equal(armed.repeatMs, 1000);
  for (const h of portsInfo().handles) {
    if (h.type === 'timer') assert.ok(h.firesInMs === null || (h.firesInMs !== undefined && h.firesInMs >= 0), JSON.stringify(h));
  }
});
