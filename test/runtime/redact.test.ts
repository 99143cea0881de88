import assert from 'node:assert/strict';
import { test } from 'node:test';
import { REDACTED, createRedactor } from '../../src/runtime/redact.js';

test('secret-looking names are redacted in environment records, headers and argv', () => {
  const r = createRedactor();
  assert.deepEqual(r.record({ API_TOKEN: 'abc', DB_PASSWORD: 'p', HOME: '/root', AWS_SECRET_ACCESS_KEY: 'k', UNSET: undefined }), {
    API_TOKEN: REDACTED,
    DB_PASSWORD: REDACTED,
    HOME: '/root',
    AWS_SECRET_ACCESS_KEY: REDACTED,
  });
  assert.deepEqual(r.headers({ authorization: 'Bearer x', cookie: 'a=b', 'x-api-key': 'k', accept: 'text/html', 'set-cookie': ['a', 'b'] }), {
    authorization: REDACTED,
    cookie: REDACTED,
    'x-api-key': REDACTED,
    accept: 'text/html',
    'set-cookie': REDACTED,
  });
  assert.deepEqual(r.argv(['node', 'app.js', '--token=abc', '--password', 'hunter2', '--port', '80', 'SECRET=x', '--db=postgres://u:pw@h/db']), [
    'node',
    'app.js',
    `--token=${REDACTED}`,
    '--password',
    REDACTED,
    '--port',
    '80',
    `SECRET=${REDACTED}`,
    `--db=postgres://u:${REDACTED}@h/db`,
  ]);
});

test('URLs lose their credentials and secret query parameters, nothing else', () => {
  const r = createRedactor();
  assert.equal(r.url('https://user:pass@example.test/a?x=1&access_token=zzz&sig=2#frag'), `https://user:${REDACTED}@example.test/a?x=1&access_token=${REDACTED}&sig=${REDACTED}#frag`);
  assert.equal(r.url('/search?q=cats&page=2'), '/search?q=cats&page=2');
  assert.equal(r.url('/login?Password=x'), `/login?Password=${REDACTED}`);
});

test('the rule is configurable: names to show, own patterns, or off', () => {
  assert.equal(createRedactor({ show: ['KEYBOARD_LAYOUT'] }).record({ KEYBOARD_LAYOUT: 'us' }).KEYBOARD_LAYOUT, 'us');
  assert.equal(createRedactor({ secretNames: [/^internal_/] }).record({ internal_x: 'a', API_TOKEN: 'b' }).API_TOKEN, 'b');
  assert.equal(createRedactor({ disabled: true }).record({ API_TOKEN: 'b' }).API_TOKEN, 'b');
});
