import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AttachError } from '../src/cli/attach.js';
import { WobserverError as ClientError } from '../src/client/index.js';
import { ConfigError, OptionError, WobserverError } from '../src/errors.js';
import { InvalidCollectedValue, MetricsError } from '../src/metrics/index.js';
import { InvalidAnswer, NodeRequestError } from '../src/nodes/index.js';
import { ReporterConfigError } from '../src/reporters/index.js';
import { CustomPageError, DiagnosticsError, RuntimeError, TableError } from '../src/runtime/index.js';
import { HttpError } from '../src/server/index.js';
import { serverSources, sourceMatches } from './helpers/source.js';

/** The codes each error class is thrown with, read from the source. */
function codesByClass(): Map<string, Set<string>> {
  const byClass = new Map<string, Set<string>>();
  const add = (cls: string, code: string): void => {
    if (!byClass.has(cls)) byClass.set(cls, new Set());
    byClass.get(cls)!.add(code);
  };
  // Classes whose code comes first.
  for (const { match } of sourceMatches(/new (MetricsError|TableError|CustomPageError|DiagnosticsError)\('([A-Z_]+)'/g)) add(match[1]!, match[2]!);
  // Classes whose status comes first, then the code; a node-to-node verdict is thrown as an HttpError.
  for (const { match } of sourceMatches(/new (HttpError|NodeRequestError)\(\d{3}, '([A-Z_]+)'/g)) add(match[1]!, match[2]!);
  for (const { match } of sourceMatches(/status: \d{3}, code: '([A-Z_]+)'/g)) add('HttpError', match[1]!);
  // Classes with a fixed code: `super('CODE', ...)` inside `class X`.
  for (const { text } of serverSources()) {
    for (const m of text.matchAll(/class (\w+) extends \w+(?:(?!\nexport class |\nclass )[\s\S])*?super\('([A-Z_]+)'/g)) add(m[1]!, m[2]!);
  }
  // OptionError's codes are its declared type's.
  const declared = sourceMatches(/export type OptionErrorCode = ([^;]+);/g)[0]!.match[1]!;
  for (const m of declared.matchAll(/'([A-Z_]+)'/g)) add('OptionError', m[1]!);
  return byClass;
}

test('no two error classes share a code', () => {
  const byClass = codesByClass();
  for (const cls of ['MetricsError', 'TableError', 'CustomPageError', 'DiagnosticsError', 'HttpError', 'NodeRequestError', 'OptionError', 'ConfigError', 'InvalidCollectedValue', 'InvalidAnswer', 'AttachError', 'UsageError']) {
    assert.ok(byClass.has(cls), `no code found for ${cls}: the scan no longer matches the source`);
  }
  const owner = new Map<string, string>();
  for (const [cls, codes] of byClass) {
    for (const code of codes) {
      assert.equal(owner.get(code) ?? cls, cls, `${code} is thrown by ${owner.get(code)} and by ${cls}`);
      owner.set(code, cls);
    }
  }
});

test('every error class is a WobserverError with a code and carries its cause', () => {
  const cause = new Error('first');
  const errors: WobserverError[] = [
    new MetricsError('INVALID_VALUE', 'm'),
    new OptionError('m'),
    new OptionError('m', 'INSECURE_BIND'),
    new ConfigError('m'),
    new ConfigError(['a', 'b']),
    new InvalidCollectedValue('m'),
    new InvalidAnswer('m'),
    new NodeRequestError(502, 'NODE_UNREACHABLE', 'm'),
    new TableError('TABLE_FAILED', 'm'),
    new CustomPageError('PAGE_INVALID', 'm'),
    new DiagnosticsError('DIAGNOSTICS_BUSY', 'm'),
    new HttpError(404, 'NOT_FOUND', 'm'),
    new AttachError('m'),
  ];
  for (const e of errors) {
    assert.ok(e instanceof WobserverError && e instanceof Error, e.name);
    assert.match(e.code, /^[A-Z][A-Z_]+$/, e.name);
    assert.equal(e.name, e.constructor.name);
  }
  assert.ok(new TableError('TABLE_FAILED', 'm') instanceof RuntimeError);
  assert.equal(new WobserverError('X', 'm', { cause }).cause, cause);
  assert.equal(new ConfigError('m', { cause }).cause, cause);
  assert.equal(new OptionError('m', 'INVALID_OPTION', { cause }).cause, cause);
});

test('HttpError keeps its constructor: status, code, message (and headers)', () => {
  const e = new HttpError(401, 'UNAUTHORIZED', 'Authentication required', { 'www-authenticate': 'Bearer' });
  assert.deepEqual([e.status, e.code, e.message, e.headers], [401, 'UNAUTHORIZED', 'Authentication required', { 'www-authenticate': 'Bearer' }]);
});

test('one class per code: a reporter\'s configuration error is a ConfigError; the client\'s error is the base', () => {
  assert.equal(ReporterConfigError, ConfigError);
  assert.equal(ClientError, WobserverError);
  assert.equal(new ConfigError('the period is wrong').message, 'the period is wrong');
  assert.equal(new ConfigError(['a', 'b']).message, 'wobserver: invalid configuration:\n  - a\n  - b');
});
