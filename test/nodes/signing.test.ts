import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { createHash } from 'node:crypto';
import { NodeClient, NodeRequestError, SIGNATURE_HEADERS, SIGNED_ANSWER_HEADERS, Verifier, answerHead, answerSignature, sign, signAnswers, verifyAnswer } from '../../src/nodes/index.js';
import { watchHost } from '../helpers/watch-host.js';

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
  const host = watchHost();
  try {
    const e = await refusal(client.fetch({ host: '127.0.0.1', port, name: 'b' }, 'POST', '/api/diagnostics/heap-snapshot'));
    assert.equal(e.code, 'NODE_UNREACHABLE');
    assert.match(e.message, /ENOENT/);
    await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(host.faults, [], 'nothing was thrown into the process');
  } finally {
    host.stop();
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

// The signing functions alone, without a server: each signed field, each way to fail.

const NOW = 1_700_000_000_000;

/** The verdict's code, or 'ok'. */
function verdict(v: Verifier, method: string, path: string, headers: Record<string, string>, now = NOW, probe = false): string {
  const r = v.verify(method, path, headers, now, probe);
  return r.ok ? 'ok' : `${r.status} ${r.code}`;
}

test('sign() puts the time, a fresh nonce, the sender and the destination in headers beside an HMAC over them, the method and the path', () => {
  const a = sign(SECRET, 'GET', '/api/system?x=1', 'node-a', 'node-b', NOW);
  const b = sign(SECRET, 'GET', '/api/system?x=1', 'node-a', 'node-b', NOW);
  assert.equal(a[SIGNATURE_HEADERS.time], String(NOW));
  assert.equal(a[SIGNATURE_HEADERS.from], 'node-a');
  assert.equal(a[SIGNATURE_HEADERS.to], 'node-b');
  assert.match(a[SIGNATURE_HEADERS.nonce]!, /^[A-Za-z0-9_-]{22}$/, '16 random bytes');
  assert.notEqual(a[SIGNATURE_HEADERS.nonce], b[SIGNATURE_HEADERS.nonce], 'a new nonce each time');
  assert.notEqual(a[SIGNATURE_HEADERS.signature], b[SIGNATURE_HEADERS.signature], 'so a new signature');
  assert.match(a[SIGNATURE_HEADERS.signature]!, /^[A-Za-z0-9_-]{43}$/, 'an HMAC-SHA256, base64url');
  assert.equal(verdict(new Verifier(SECRET, { node: 'node-b' }), 'GET', '/api/system?x=1', a), 'ok');
  assert.equal(verdict(new Verifier(SECRET, { node: 'node-b' }), 'get', '/api/system?x=1', a), 'ok', 'the method in any case');
  assert.equal(Verifier.signed(a), true);
  assert.equal(Verifier.signed({ host: 'x' }), false);
  assert.equal(Verifier.signed({ [SIGNATURE_HEADERS.from]: 'node-a' }), true, 'a sender alone claims to be a node, and is judged as one');
});

/** The same text with another first character. */
function otherFirst(s: string): string {
  return `${s[0] === 'A' ? 'B' : 'A'}${s.slice(1)}`;
}

test('every signed field is covered: another method, path, query, time, nonce, sender or destination breaks the signature', () => {
  const headers = sign(SECRET, 'POST', '/api/diagnostics/report?x=1', 'node-a', 'node-b', NOW);
  const changed: [string, string, string, Record<string, string>][] = [
    ['method', 'PUT', '/api/diagnostics/report?x=1', headers],
    ['path', 'POST', '/api/diagnostics/heap-snapshot?x=1', headers],
    ['query', 'POST', '/api/diagnostics/report?x=2', headers],
    ['no query', 'POST', '/api/diagnostics/report', headers],
    ['time', 'POST', '/api/diagnostics/report?x=1', { ...headers, [SIGNATURE_HEADERS.time]: String(NOW + 1) }],
    ['nonce', 'POST', '/api/diagnostics/report?x=1', { ...headers, [SIGNATURE_HEADERS.nonce]: 'AAAAAAAAAAAAAAAAAAAAAA' }],
    ['sender', 'POST', '/api/diagnostics/report?x=1', { ...headers, [SIGNATURE_HEADERS.from]: 'node-c' }],
    ['destination', 'POST', '/api/diagnostics/report?x=1', { ...headers, [SIGNATURE_HEADERS.to]: 'node-c' }],
    // Its first character changed (the last one also holds padding bits, and may already be the replacement).
    ['signature', 'POST', '/api/diagnostics/report?x=1', { ...headers, [SIGNATURE_HEADERS.signature]: otherFirst(headers[SIGNATURE_HEADERS.signature]!) }],
    ['a truncated signature', 'POST', '/api/diagnostics/report?x=1', { ...headers, [SIGNATURE_HEADERS.signature]: headers[SIGNATURE_HEADERS.signature]!.slice(0, 20) }],
  ];
  for (const [what, method, path, h] of changed) {
    const v = new Verifier(SECRET, { node: what === 'destination' ? 'node-c' : 'node-b' });
    assert.equal(verdict(v, method, path, h), '401 NODE_SIGNATURE_INVALID', what);
  }
  assert.equal(verdict(new Verifier(SECRET, { node: 'node-b' }), 'POST', '/api/diagnostics/report?x=1', headers), 'ok', 'unchanged, it passes');
});

test('another secret, a missing header, a time outside the window either way and a replayed nonce are refused, each with its code', () => {
  const v = new Verifier(SECRET, { node: 'b', windowMs: 30_000 });
  assert.equal(verdict(v, 'GET', '/api/about', sign('not-the-shared-secret-at-all', 'GET', '/api/about', 'a', 'b', NOW)), '401 NODE_SIGNATURE_INVALID', 'another secret');
  const good = sign(SECRET, 'GET', '/api/about', 'a', 'b', NOW);
  for (const h of Object.values(SIGNATURE_HEADERS).filter((h) => h !== SIGNATURE_HEADERS.answer)) {
    const without = { ...good };
    delete without[h];
    assert.equal(verdict(v, 'GET', '/api/about', without), '401 NODE_UNSIGNED', `without ${h}`);
  }
  assert.equal(verdict(v, 'GET', '/api/about', sign(SECRET, 'GET', '/api/about', 'a', 'b', NOW - 30_001)), '401 NODE_CLOCK_SKEW', 'expired');
  assert.equal(verdict(v, 'GET', '/api/about', sign(SECRET, 'GET', '/api/about', 'a', 'b', NOW + 30_001)), '401 NODE_CLOCK_SKEW', 'from the future');
  assert.equal(verdict(v, 'GET', '/api/about', sign(SECRET, 'GET', '/api/about', 'a', 'b', NOW - 30_000)), 'ok', 'at the edge of the window');
  assert.equal(verdict(v, 'GET', '/api/about', sign(SECRET, 'GET', '/api/about', 'a', 'b', Number.NaN)), '401 NODE_CLOCK_SKEW', 'a time that is no number, signed');
  assert.equal(verdict(v, 'GET', '/api/about', good), 'ok');
  assert.equal(verdict(v, 'GET', '/api/about', good), '401 NODE_REPLAY', 'the same request again');
  assert.equal(verdict(v, 'GET', '/api/about', good, NOW + 10_000), '401 NODE_REPLAY', 'later, still inside the window');
  assert.equal(verdict(new Verifier(SECRET, { node: 'b' }), 'GET', '/api/about', good), 'ok', 'nonces are per verifier (per node)');
});

test('an answer signature covers the nonce, the status, the content type, disposition and encoding, and the body: each changed, it fails', () => {
  const body = createHash('sha256').update('{"a":1}').digest('hex');
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  const head = answerHead((h) => headers[h]);
  assert.equal(head, 'application/json; charset=utf-8\n\n', 'absent headers are empty lines');
  assert.deepEqual([...SIGNED_ANSWER_HEADERS], ['content-type', 'content-disposition', 'content-encoding']);
  assert.equal(answerHead((h) => ({ 'content-type': 'a', 'content-disposition': 7, 'content-encoding': 'br' })[h]), 'a\n7\nbr', 'in order, numbers as text');
  const signature = answerSignature(SECRET, 'n0nce', 200, head, body);
  assert.equal(verifyAnswer(SECRET, signature, 'n0nce', 200, head, body), true);
  const other = createHash('sha256').update('{"a":2}').digest('hex');
  const cases: [string, boolean][] = [
    ['no signature', verifyAnswer(SECRET, undefined, 'n0nce', 200, head, body)],
    ['another secret', verifyAnswer('another-secret-entirely!', signature, 'n0nce', 200, head, body)],
    ['another request (nonce)', verifyAnswer(SECRET, signature, 'other', 200, head, body)],
    ['another status', verifyAnswer(SECRET, signature, 'n0nce', 500, head, body)],
    ['another body', verifyAnswer(SECRET, signature, 'n0nce', 200, head, other)],
    ['another content type', verifyAnswer(SECRET, signature, 'n0nce', 200, answerHead((h) => ({ 'content-type': 'text/html' })[h]), body)],
    ['made a download', verifyAnswer(SECRET, signature, 'n0nce', 200, answerHead((h) => ({ ...headers, 'content-disposition': 'attachment; filename="x.html"' })[h]), body)],
    ['made compressed', verifyAnswer(SECRET, signature, 'n0nce', 200, answerHead((h) => ({ ...headers, 'content-encoding': 'gzip' })[h]), body)],
    ['a truncated signature', verifyAnswer(SECRET, signature.slice(0, 20), 'n0nce', 200, head, body)],
    ['an empty signature', verifyAnswer(SECRET, '', 'n0nce', 200, head, body)],
  ];
  for (const [what, ok] of cases) assert.equal(ok, false, what);
});
