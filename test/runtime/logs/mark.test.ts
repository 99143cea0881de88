import assert from 'node:assert/strict';
import type { IncomingMessage } from 'node:http';
import { test } from 'node:test';
import { cookieValue, hideMark, readMark } from '../../../src/runtime/logs/mark.js';
import { resolveLogsOptions } from '../../../src/runtime/logs/options.js';

const mark = resolveLogsOptions().mark;
const req = (url: string, rawHeaders: string[] = []): IncomingMessage => ({ url, rawHeaders }) as unknown as IncomingMessage;

test('a request is marked by the query parameter, the header in any case or the cookie, and unmarked otherwise', () => {
  assert.equal(readMark(req('/a?x=1&wobserver_logger=t-1'), mark), 't-1');
  assert.equal(readMark(req('/a', ['Host', 'h', 'X-Wobserver-Logger', ' t-2 ']), mark), 't-2');
  assert.equal(readMark(req('/a', ['cookie', 'a=1; wobserver_logger=t%2D3', 'Cookie', 'b=2']), mark), 't-3');
  assert.equal(readMark(req('/a', ['Cookie', 'a=1', 'Cookie', 'wobserver_logger="t-4"']), mark), 't-4', 'every Cookie header is read');
  assert.equal(readMark(req('/a?xwobserver_logger=t'), mark), undefined, 'a longer name is another parameter');
  assert.equal(readMark(req('/a?wobserver_logger='), mark), undefined);
  assert.equal(readMark(req('/wobserver_logger=t'), mark), undefined, 'only in the query');
  assert.equal(readMark(req('/a', ['x-wobserver-loggerx', 't', 'cookie', 'my_wobserver_logger=t']), mark), undefined);
  const off = resolveLogsOptions({ mark: { param: false, header: 'x-trace-me', cookie: false } }).mark;
  assert.equal(readMark(req('/a?wobserver_logger=t', ['x-trace-me', 'u']), off), 'u');
  assert.equal(readMark(req('/a?wobserver_logger=t', ['cookie', 'wobserver_logger=t']), off), undefined);
});

test('the mark\'s token is hidden in the URL a watcher sees, the rest of the query kept', () => {
  assert.equal(hideMark('/a?x=1&wobserver_logger=tok&y=2#f', mark), '/a?x=1&wobserver_logger=[redacted]&y=2#f');
  assert.equal(hideMark('/a?wobserver%5Flogger=tok', mark), '/a?wobserver%5Flogger=[redacted]');
  assert.equal(hideMark('/a?other=tok', mark), '/a?other=tok');
  assert.equal(cookieValue('a=1;b=2', 'b'), '2');
  assert.equal(cookieValue('ab=1', 'b'), undefined);
});
