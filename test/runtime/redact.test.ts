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

// The rule's pure functions case by case; test/security/redaction.test.ts holds the
// table of hostile inputs (URLs, argv, connection strings, token forms) and the real child.

test('isSecret judges names in any case and style, with word boundaries where a short pattern would catch ordinary words', () => {
  const r = createRedactor();
  for (const name of ['API_TOKEN', 'apiKey', 'x-api-key', 'ClientSecret', 'db.password', 'DB_PASSWD', 'PASS', 'SMTP_PASS', 'PW', 'pw_hash', 'PWD', 'passphrase', 'OTP_PASSCODE', 'authorization', 'Cookie', 'SESSION_ID', 'gcp_credentials', 'PRIVATE_KEY_PATH', 'x-hub-signature', 'SENTRY_DSN', 'bearer', 'JWT_PUBLIC', 'HMAC']) {
    assert.equal(r.isSecret(name), true, name);
  }
  for (const name of ['HOME', 'PATH', 'PASSENGER_COUNT', 'NPW', 'POWER', 'NODE_ENV', 'hostname', 'user', 'content-type', 'accept']) {
    assert.equal(r.isSecret(name), false, name);
  }
  assert.equal(r.isSecret('API_TOKEN'), true, 'the same answer from the cache of names');
});

test('in an environment record PWD and OLDPWD are the shell\'s folders, not passwords; PWD_FILE and the like still are', () => {
  assert.deepEqual(createRedactor().record({ PWD: '/srv/app', OLDPWD: '/root', PWD_FILE: '/run/secrets/pw', MYSQL_PWD: 'x' }), { PWD: '/srv/app', OLDPWD: '/root', PWD_FILE: REDACTED, MYSQL_PWD: REDACTED });
});

test('deep(): a secret key hides any value but nothing (null, empty, a flag), whatever its type; arrays of arrays and strings at any place are scanned', () => {
  const r = createRedactor();
  assert.deepEqual(
    r.deep({ apiKey: 5, token: true, secret: null, pass: '', nested: { session: ['a', 'b'], ok: 1 }, list: [['postgres://u:pw@h/db', 7]], credentials: { user: 'u', password: 'p' } }),
    { apiKey: REDACTED, token: true, secret: null, pass: '', nested: { session: REDACTED, ok: 1 }, list: [[`postgres://u:${REDACTED}@h/db`, 7]], credentials: REDACTED },
  );
  assert.equal(r.deep('Authorization: Bearer abcdef123'), `Authorization: ${REDACTED}`, 'a string alone');
  assert.equal(r.deep(42), 42);
  assert.equal(r.deep(null), null);
  const input = { password: 'p', keep: 'k' };
  r.deep(input);
  assert.deepEqual(input, { password: 'p', keep: 'k' }, 'the input is left as it was');
});

test('deep(): a secret 60 levels down is still found', () => {
  let nested: unknown = { password: 'deep-secret', url: 'postgres://u:deep-pw@h/db' };
  for (let i = 0; i < 60; i++) nested = { a: nested };
  const out = JSON.stringify(createRedactor().deep(nested));
  assert.ok(!out.includes('deep-secret') && !out.includes('deep-pw'), out.slice(-120));
});

test('token forms not in the hostile table: GitLab, Google, npm, OpenAI-style and Stripe webhook secrets, a Bearer in a header line', () => {
  const r = createRedactor();
  const cases: [string, string][] = [
    ['glpat-abcdefghij1234567890', REDACTED],
    ['key AIzaSyA-abcdefghijklmnopqrstuvwxyz12345 end', `key ${REDACTED} end`],
    ['npm_abcdefghijklmnopqrstuvwxyz0123456789', REDACTED],
    ['sk-proj-abcdefghijklmnopqrstuvwx', REDACTED],
    ['whsec_abcdefghijklmnop1234', REDACTED],
    ['github_pat_11ABCDEFG0123456789_abcdefghij', REDACTED],
    ['Authorization: Bearer abc.def-ghi', `Authorization: ${REDACTED}`],
    ['sent with bearer abcdef123', `sent with bearer ${REDACTED}`],
  ];
  for (const [input, out] of cases) assert.equal(r.text(input), out, input);
  assert.equal(r.text('a bearer of good news'), 'a bearer of good news', 'a word after Bearer shorter than a token stays');
  assert.equal(r.text(''), '');
  assert.equal(r.text(`already ${REDACTED}`), `already ${REDACTED}`);
});

test('a name that looks secret is hidden whole whatever its value looks like (failing closed), in records and headers alike', () => {
  const r = createRedactor();
  for (const value of ['plain words', '12345', 'https://example.com/', '{"a":1}', ' ', REDACTED]) {
    assert.equal(r.record({ SESSION_SECRET: value }).SESSION_SECRET, REDACTED, JSON.stringify(value));
    assert.equal(r.headers({ 'x-auth-token': value })['x-auth-token'], REDACTED, JSON.stringify(value));
  }
  assert.deepEqual(r.headers({ 'content-length': 12, accept: ['a', 'b'], skipped: undefined }), { 'content-length': '12', accept: ['a', 'b'] }, 'numbers as text, arrays kept, undefined left out');
});

test('deep(): below the depth it scans, or on a cycle, a value is replaced whole, never passed through unscanned', () => {
  const r = createRedactor();
  let nested: Record<string, unknown> = { password: 'hunter2', note: 'x' };
  for (let i = 0; i < 70; i++) nested = { level: nested };
  const out = JSON.stringify(r.deep(nested));
  assert.ok(!out.includes('hunter2'), 'a secret 70 levels down does not come out');
  assert.ok(out.includes(REDACTED));
  const cyclic: Record<string, unknown> = { name: 'a', token: 't' };
  cyclic.self = cyclic;
  cyclic.list = [cyclic, { url: 'postgres://u:pw@h/db' }];
  const c = r.deep(cyclic) as Record<string, unknown>;
  assert.deepEqual(c.self, REDACTED);
  assert.deepEqual(c.list, [REDACTED, { url: `postgres://u:${REDACTED}@h/db` }]);
  assert.equal(c.token, REDACTED);
  // The same object twice side by side is not a cycle: both are scanned.
  const shared = { user: 'u', secret: 's' };
  assert.deepEqual(r.deep({ a: shared, b: shared }), { a: { user: 'u', secret: REDACTED }, b: { user: 'u', secret: REDACTED } });
});
