import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MetricsError, OptionError } from '../../src/metrics/errors.js';
import { NodeRequestError } from '../../src/nodes/index.js';
import { CustomPageError, DiagnosticsError, TableError } from '../../src/runtime/index.js';
import { HTTP_STATUS, statusOf } from '../../src/server/error-status.js';
import { HttpError, errorStatus } from '../../src/server/http-error.js';
import { sourceMatches } from '../helpers/source.js';

test('every new HttpError(status, code) in the source uses the status of its code in HTTP_STATUS', () => {
  const uses = sourceMatches(/new HttpError\(\s*(\d{3}),\s*'([A-Z_]+)'/g);
  assert.ok(uses.length > 40, `found only ${uses.length} uses: the pattern no longer matches the source`);
  for (const { file, match } of uses) assert.equal(HTTP_STATUS[match[2]!], Number(match[1]), `${file}: ${match[0]}`);
});

test('every status a node-to-node verdict or a NodeRequestError of this node carries is that of its code', () => {
  const uses = [...sourceMatches(/status: (\d{3}), code: '([A-Z_]+)'/g), ...sourceMatches(/new NodeRequestError\((\d{3}), '([A-Z_]+)'/g)];
  assert.ok(uses.length > 15, `found only ${uses.length} uses`);
  for (const { file, match } of uses) assert.equal(HTTP_STATUS[match[2]!], Number(match[1]), `${file}: ${match[0]}`);
});

test('every code the runtime layer throws has a status', () => {
  const uses = sourceMatches(/new (?:TableError|CustomPageError|DiagnosticsError)\('([A-Z_]+)'/g);
  assert.ok(uses.length > 10);
  for (const { file, match } of uses) assert.notEqual(statusOf(match[1]!), undefined, `${file}: ${match[0]}`);
});

test('a runtime error is answered with the status of its code; the application failing is a 500 with its code', () => {
  assert.equal(errorStatus(new TableError('TABLE_NOT_FOUND', 'x')), 404);
  assert.equal(errorStatus(new TableError('TABLE_QUERY_INVALID', 'x')), 400);
  assert.equal(errorStatus(new TableError('TABLE_FAILED', 'x')), 500);
  assert.equal(errorStatus(new CustomPageError('PAGE_NOT_FOUND', 'x')), 404);
  assert.equal(errorStatus(new DiagnosticsError('DIAGNOSTICS_BUSY', 'x')), 409);
  assert.equal(errorStatus(new DiagnosticsError('DIAGNOSTICS_NO_HEADROOM', 'x')), 409);
  assert.equal(errorStatus(new DiagnosticsError('DIAGNOSTICS_NOT_RUNNING', 'x')), 404);
});

test('an HttpError and another node\'s error keep their own status; an error not meant for clients is a 500', () => {
  assert.equal(errorStatus(new HttpError(418, 'TEAPOT', 'x')), 418);
  assert.equal(errorStatus(new NodeRequestError(409, 'DIAGNOSTICS_BUSY', 'relayed')), 409);
  assert.equal(errorStatus(new MetricsError('METRIC_CONFLICT', 'x')), 500);
  assert.equal(errorStatus(new OptionError('x')), 500);
  assert.equal(errorStatus(Object.assign(new Error('x'), { code: 'TABLE_NOT_FOUND' })), 500);
  assert.equal(statusOf('toString'), undefined, 'inherited properties are not codes');
});

test('HTTP, the WebSocket and the cluster agent tell a client the same of an error; internals never', async () => {
  const { errorBody } = await import('../../src/server/feeds.js');
  const { errorAnswer } = await import('../../src/server/http-error.js');
  const cases: unknown[] = [
    new HttpError(404, 'NOT_FOUND', 'Nothing at /x'),
    new TableError('TABLE_NOT_FOUND', 'No table "t"'),
    new NodeRequestError(502, 'NODE_UNREACHABLE', 'Cannot reach b'),
    Object.assign(new Error("ENOENT: no such file or directory, open '/secret/path'"), { code: 'ENOENT' }),
    new MetricsError('METRIC_CONFLICT', 'x is already a counter'),
  ];
  for (const err of cases) {
    const { code, message } = errorAnswer(err);
    assert.deepEqual(errorBody(err), { code, message });
  }
  assert.deepEqual(errorBody(cases[3]), { code: 'INTERNAL', message: 'wobserver failed to answer this request' }, 'a system error\'s path stays inside');
  assert.equal(errorAnswer(cases[1]).status, 404);
});
