import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import { NodeClient, NodeRequestError, SIGNATURE_HEADERS, Verifier, answerHead, answerSignature, sign, signAnswers } from '../../src/nodes/index.js';

const SECRET = 'a-shared-secret-of-the-unit-test';

test('a request signed for node X is refused by node Y (421 NODE_MISDIRECTED); one signed for no node passes only as the /api/about probe; a signed request carries no body', () => {
  const y = new Verifier(SECRET, { node: 'y' });
  const forX = sign(SECRET, 'GET', '/api/system', 'a', 'x');
  const v = y.verify('GET', '/api/system', forX);
  assert.equal(v.ok, false);
  assert.equal(!v.ok && v.code, 'NODE_MISDIRECTED');
  assert.equal(!v.ok && v.status, 421);
  assert.equal(y.verify('GET', '/api/system', sign(SECRET, 'GET', '/api/system', 'a', 'y')).ok, true);
  const probe = sign(SECRET, 'GET', '/api/about', 'a', '');
  assert.equal(y.verify('GET', '/api/about', { ...probe }, Date.now(), false).ok, false, 'no destination outside the probe');
  assert.equal(y.verify('GET', '/api/about', sign(SECRET, 'GET', '/api/about', 'a', ''), Date.now(), true).ok, true);
  // A body is not signed, so a signed request may not carry one.
  const withBody = y.verify('POST', '/api/diagnostics/report', { ...sign(SECRET, 'POST', '/api/diagnostics/report', 'a', 'y'), 'content-length': '12' });
  assert.equal(!withBody.ok && withBody.code, 'NODE_BODY_NOT_ALLOWED');
  assert.equal(y.verify('POST', '/api/diagnostics/report', { ...sign(SECRET, 'POST', '/api/diagnostics/report', 'a', 'y'), 'content-length': '0' }).ok, true);
  // The destination is signed: changing the header breaks the signature.
  const v2 = y.verify('GET', '/api/system', { ...forX, [SIGNATURE_HEADERS.to]: 'y' });
  assert.equal(!v2.ok && v2.code, 'NODE_SIGNATURE_INVALID');
});

test('a full nonce cache refuses new signed requests inside the window (503 NODE_BUSY) and forgets none, so no replay reopens; past the window it takes requests again', () => {
  let now = 1_000_000;
  const v = new Verifier(SECRET, { node: 'y', windowMs: 30_000, maxNonces: 3 });
  const first = sign(SECRET, 'GET', '/api/about', 'a', 'y', now);
  assert.equal(v.verify('GET', '/api/about', first, now).ok, true);
  for (let i = 0; i < 2; i++) assert.equal(v.verify('GET', '/api/about', sign(SECRET, 'GET', '/api/about', 'a', 'y', now), now).ok, true);
  const busy = v.verify('GET', '/api/about', sign(SECRET, 'GET', '/api/about', 'a', 'y', now), now);
  assert.equal(!busy.ok && busy.code, 'NODE_BUSY');
  assert.equal(!busy.ok && busy.status, 503);
  const replay = v.verify('GET', '/api/about', first, now);
  assert.equal(!replay.ok && replay.code, 'NODE_REPLAY', 'the first nonce is still remembered');
  now += 31_000;
  assert.equal(v.verify('GET', '/api/about', sign(SECRET, 'GET', '/api/about', 'a', 'y', now), now).ok, true, 'expired nonces make room');
  const old = v.verify('GET', '/api/about', first, now);
  assert.equal(!old.ok && old.code, 'NODE_CLOCK_SKEW', 'and the old request is refused by the window');
});

/** A node's answering side: signs with `secret` (or not), and lets the test change the body after signing. */
async function answering(handler: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; port: number }> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  server.unref();
  return { server, port: (server.address() as AddressInfo).port };
}

const nonceOf = (req: IncomingMessage): string => String(req.headers[SIGNATURE_HEADERS.nonce]);

async function refusal(p: Promise<unknown>): Promise<NodeRequestError> {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof NodeRequestError, String(err));
    return err;
  }
  assert.fail('expected a NodeRequestError');
}

test('answers to signed requests are believed only when signed over this request: unsigned, another secret, another nonce, a changed body or content header are errors', async () => {
  let mode = 'good';
  const { server, port } = await answering((req, res) => {
    const nonce = mode === 'other-nonce' ? 'not-the-nonce' : nonceOf(req);
    if (mode === 'changed-header') {
      // Signed as a plain JSON answer, sent as a download under another name: the headers are signed too.
      const body = '{"a":1.0}';
      const signature = answerSignature(SECRET, nonce, 200, answerHead((h) => ({ 'content-type': 'application/json' })[h]), createHash('sha256').update(body).digest('hex'));
      res.writeHead(200, { 'content-type': 'application/json', 'content-disposition': 'attachment; filename="evil.html"', trailer: SIGNATURE_HEADERS.answer });
      res.write(body);
      res.addTrailers({ [SIGNATURE_HEADERS.answer]: signature });
      res.end();
      return;
    }
    if (mode === 'changed-body') {
      // Sign one body, send another: what a proxy in between that rewrites it does.
      const end = res.end.bind(res);
      res.end = ((chunk: string) => end(chunk.replace('1', '2'))) as typeof res.end;
    }
    if (mode !== 'unsigned') signAnswers(res, mode === 'other-secret' ? 'another-secret-entirely!' : SECRET, nonce);
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': '9' });
    res.end('{"a":1.0}');
  });
  const client = new NodeClient({ secret: SECRET, from: 'a', timeoutMs: 5000 });
  const node = { host: '127.0.0.1', port, name: 'b' };
  try {
    assert.deepEqual(await client.json(node, '/api/x'), { a: 1 });
    for (const [m, code] of [['unsigned', 'NODE_ANSWER_UNSIGNED'], ['other-secret', 'NODE_ANSWER_INVALID'], ['other-nonce', 'NODE_ANSWER_INVALID'], ['changed-body', 'NODE_ANSWER_INVALID'], ['changed-header', 'NODE_ANSWER_INVALID']] as const) {
      mode = m;
      const e = await refusal(client.json(node, '/api/x'));
      assert.equal(e.code, code, m);
      assert.equal(e.status, 502);
    }
  } finally {
    server.close();
  }
});

test('a signed download is spooled to a temporary file while hashed, checked, then handed on; a bad one leaves no file behind', async () => {
  const big = 'x'.repeat(3 * 1024 * 1024);
  let good = true;
  const { server, port } = await answering((req, res) => {
    signAnswers(res, good ? SECRET : 'another-secret-entirely!', nonceOf(req));
    res.writeHead(200, { 'content-type': 'application/json', 'content-disposition': 'attachment; filename="heap.heapsnapshot"' });
    res.write(big);
    res.end('!');
  });
  const client = new NodeClient({ secret: SECRET, from: 'a', maxAnswerBytes: 1024 });
  const node = { host: '127.0.0.1', port, name: 'b' };
  const spooled = (): string[] => readdirSync(tmpdir()).filter((f) => f.startsWith(`wobserver-answer-${process.pid}-`));
  try {
    const answer = await client.fetch(node, 'POST', '/api/diagnostics/heap-snapshot');
    assert.ok('file' in answer, 'spooled, not buffered (more than maxAnswerBytes)');
    assert.equal(answer.bytes, big.length + 1);
    assert.equal(readFileSync(answer.file, 'utf8').length, big.length + 1);
    assert.ok(existsSync(answer.file));
    rmSync(answer.file);
    good = false;
    const before = spooled().length;
    const e = await refusal(client.fetch(node, 'POST', '/api/diagnostics/heap-snapshot'));
    assert.equal(e.code, 'NODE_ANSWER_INVALID');
    assert.equal(spooled().length, before, 'the refused download was deleted');
  } finally {
    server.close();
  }
});

test('a download whose temporary file cannot be written is an error of that request, not an exception in the host', async () => {
  const { server, port } = await answering((req, res) => {
    signAnswers(res, SECRET, nonceOf(req));
    res.writeHead(200, { 'content-type': 'application/json', 'content-disposition': 'attachment; filename="heap.heapsnapshot"' });
    res.end('x'.repeat(256 * 1024));
  });
  const client = new NodeClient({ secret: SECRET, from: 'a' });
  const saved = process.env.TMPDIR;
  // tmpdir() reads TMPDIR at each call: a folder that does not exist makes the spool file fail to open.
  process.env.TMPDIR = `/nonexistent-wobserver-${process.pid}`;
  const uncaught: unknown[] = [];
  const onUncaught = (err: unknown): void => void uncaught.push(err);
  process.on('uncaughtException', onUncaught);
  try {
    const e = await refusal(client.fetch({ host: '127.0.0.1', port, name: 'b' }, 'POST', '/api/diagnostics/heap-snapshot'));
    assert.equal(e.code, 'NODE_UNREACHABLE');
    assert.match(e.message, /ENOENT/);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(uncaught, [], 'nothing was thrown into the process');
  } finally {
    process.off('uncaughtException', onUncaught);
    if (saved === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = saved;
    server.close();
  }
});

test('a JSON answer larger than maxAnswerBytes is refused (502 NODE_ANSWER_TOO_LARGE), and a silent node is 504 NODE_TIMEOUT', async () => {
  const { server, port } = await answering((req, res) => {
    if (req.url === '/silent') return;
    signAnswers(res, SECRET, nonceOf(req));
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ pad: 'y'.repeat(4096) }));
  });
  const node = { host: '127.0.0.1', port, name: 'b' };
  try {
    const e = await refusal(new NodeClient({ secret: SECRET, from: 'a', maxAnswerBytes: 1024 }).json(node, '/big'));
    assert.equal(e.code, 'NODE_ANSWER_TOO_LARGE');
    const t = await refusal(new NodeClient({ secret: SECRET, from: 'a', timeoutMs: 300 }).json(node, '/silent'));
    assert.equal(t.code, 'NODE_TIMEOUT');
    assert.equal(t.status, 504);
  } finally {
    server.closeAllConnections();
    server.close();
  }
});

test('a node answers signed HEAD and HTTP/1.0 requests without trailers (and without failing), and signs its GET answers, which the client checks', async () => {
  const { createWobserver } = await import('../../src/server/index.js');
  const { connect } = await import('node:net');
  const wob = createWobserver({ assets: false, nodeName: 'y', nodes: { secret: SECRET } });
  const server = createServer((req, res) => void wob.handle(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  try {
    const head = await fetch(`http://127.0.0.1:${port}/api/about`, { method: 'HEAD', headers: sign(SECRET, 'HEAD', '/api/about', 'a', 'y') });
    assert.equal(head.status, 200);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => {
        const h = sign(SECRET, 'GET', '/api/about', 'a', 'y');
        socket.write(`GET /api/about HTTP/1.0\r\nHost: 127.0.0.1\r\n${Object.entries(h).map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`);
      });
      let text = '';
      socket.on('data', (d) => (text += d.toString()));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
    });
    assert.match(raw, /^HTTP\/1\.1 200 /);
    assert.match(raw, /"node":"y"/);
    const client = new NodeClient({ secret: SECRET, from: 'a' });
    assert.equal((await client.json<{ node: string }>({ host: '127.0.0.1', port, name: 'y' }, '/api/about')).node, 'y');
    const e = await refusal(client.json({ host: '127.0.0.1', port, name: 'x' }, '/api/about'));
    assert.equal(e.code, 'NODE_ANSWER_UNSIGNED', 'signed for another node: refused, and the refusal is not signed');
    assert.match(e.message, /NODE_MISDIRECTED/);
  } finally {
    wob.close();
    server.closeAllConnections();
    server.close();
  }
});
