import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, request as httpRequest } from 'node:http';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { createRegistry } from '../../src/metrics/index.js';
import { createObserver } from '../../src/runtime/index.js';
import { REDACTED, createRedactor } from '../../src/runtime/redact.js';
import { start } from '../../src/server/index.js';
import { startChild } from '../helpers/child.js';
import { until } from '../helpers/until.js';

const R = REDACTED;
const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U';
const GHP = `ghp_${'a1B2c3D4e5'.repeat(3)}abcdef`;
const PEM = '-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM\n-----END RSA PRIVATE KEY-----';

type Case =
  | { name: string; url: string; out: string; secret: string }
  | { name: string; text: string; out: string; secret: string }
  | { name: string; argv: string[]; out: string[]; secret: string }
  | { name: string; env: Record<string, string>; out: Record<string, string>; secret: string }
  | { name: string; headers: Record<string, string | string[]>; out: Record<string, string | string[]>; secret: string };

/** Hostile inputs: each holds `secret`, which must not survive, and is redacted exactly to `out`. */
const HOSTILE: Case[] = [
  { name: 'a URL password holding @', url: 'postgres://u:p@ss-SECRET@h/db', out: `postgres://u:${R}@h/db`, secret: 'ss-SECRET' },
  { name: 'a URL password holding @ and /', url: 'mysql://u:p@ss/w@rdX@db.internal:3306/app', out: `mysql://u:${R}@db.internal:3306/app`, secret: 'rdX' },
  { name: 'a raw / in a URL password', url: 'postgres://u:pa/ssX@h/db', out: `postgres://u:${R}@h/db`, secret: 'ssX' },
  { name: 'a URL password holding # and ?', url: 'postgres://u:p#?ssX@h/db', out: `postgres://u:${R}@h/db`, secret: 'ssX' },
  { name: 'a percent-encoded URL password', url: 'https://u:p%40ssX@h/', out: `https://u:${R}@h/`, secret: 'ssX' },
  { name: 'user-only credentials (a Sentry DSN)', url: 'https://5f1e2d3c4b5a@o1.ingest.sentry.io/42', out: `https://${R}@o1.ingest.sentry.io/42`, secret: '5f1e2d3c4b5a' },
  { name: 'an old Sentry DSN with public:secret', url: 'https://pub:sec9@sentry.io/1', out: `https://pub:${R}@sentry.io/1`, secret: 'sec9' },
  { name: 'a password without a user', url: 'redis://:hunter2@cache:6379/0', out: `redis://:${R}@cache:6379/0`, secret: 'hunter2' },
  { name: 'a JDBC URL (not WHATWG)', text: 'jdbc:postgresql://u:pw1@h:5432/db', out: `jdbc:postgresql://u:${R}@h:5432/db`, secret: 'pw1' },
  { name: 'a multi-host Mongo URL', url: 'mongodb+srv://u:pw2@c1.example.net,c2.example.net/db?retryWrites=true', out: `mongodb+srv://u:${R}@c1.example.net,c2.example.net/db?retryWrites=true`, secret: 'pw2' },
  { name: 'two URLs in one value', text: 'https://a:pw3@h1/x,https://b:pw4@h2/y', out: `https://a:${R}@h1/x,https://b:${R}@h2/y`, secret: 'pw' },
  { name: 'a URL inside a query parameter', url: 'https://h/login?next=https://u:pw5@i/', out: `https://h/login?next=https://u:${R}@i/`, secret: 'pw5' },
  { name: 'an Azure SAS sig', url: 'https://acct.blob.core.windows.net/c/b?sv=2020-08-04&sig=s%2FigX%3D', out: `https://acct.blob.core.windows.net/c/b?sv=2020-08-04&sig=${R}`, secret: 'igX' },
  { name: 'an OAuth code', url: 'https://app.test/cb?code=c0de&state=s1', out: `https://app.test/cb?code=${R}&state=s1`, secret: 'c0de' },
  {
    name: 'an S3 presigned URL',
    url: 'https://b.s3.amazonaws.com/o?X-Amz-Credential=AKX%2F1&X-Amz-Expires=60&X-Amz-Signature=deadbeef',
    out: `https://b.s3.amazonaws.com/o?X-Amz-Credential=${R}&X-Amz-Expires=60&X-Amz-Signature=${R}`,
    secret: 'deadbeef',
  },
  { name: 'a key parameter in a request path', url: '/api/geo?key=k3y1&page=2', out: `/api/geo?key=${R}&page=2`, secret: 'k3y1' },
  { name: 'a scheme-relative URL', url: '//u:pw-rel@cdn.test/x?sig=s-rel', out: `//u:${R}@cdn.test/x?sig=${R}`, secret: '-rel' },
  { name: 'an access_token parameter', url: '/oauth/me?access_token=t0k', out: `/oauth/me?access_token=${R}`, secret: 't0k' },
  { name: 'a signature parameter', url: '/hook?signature=abc1', out: `/hook?signature=${R}`, secret: 'abc1' },
  { name: 'a token in a URL fragment', url: 'https://app.test/cb#access_token=frag1&expires_in=3600', out: `https://app.test/cb#access_token=${R}&expires_in=3600`, secret: 'frag1' },
  { name: 'a Discord webhook token', text: 'https://discord.com/api/webhooks/123/t0ken-X', out: `https://discord.com/api/webhooks/123/${R}`, secret: 't0ken-X' },
  { name: 'a SAML response parameter', url: '/sso/acs?SAMLResponse=PHNhbWw%2B&RelayState=%2F', out: `/sso/acs?SAMLResponse=${R}&RelayState=%2F`, secret: 'PHNhbWw' },
  {
    name: 'a Kafka JAAS config',
    env: { KAFKA_SASL_JAAS_CONFIG: 'org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="pw-jaas";' },
    out: { KAFKA_SASL_JAAS_CONFIG: `org.apache.kafka.common.security.plain.PlainLoginModule required username="u" password="${R}";` },
    secret: 'pw-jaas',
  },
  { name: 'a Slack webhook path', text: 'https://hooks.slack.com/services/T000/B000/XXXXsecret', out: `https://hooks.slack.com/services/${R}`, secret: 'XXXXsecret' },
  { name: 'mysql -p secret', argv: ['mysql', '-u', 'root', '-p', 'mysql1'], out: ['mysql', '-u', 'root', '-p', R], secret: 'mysql1' },
  { name: 'mysql -psecret', argv: ['mysql', '-pmysql2', 'db'], out: ['mysql', `-p${R}`, 'db'], secret: 'mysql2' },
  { name: '--password=x', argv: ['app', '--password=pw6'], out: ['app', `--password=${R}`], secret: 'pw6' },
  { name: '--token x', argv: ['app', '--token', 'tok7', '--verbose'], out: ['app', '--token', R, '--verbose'], secret: 'tok7' },
  { name: '--api-key x', argv: ['app', '--api-key', 'k8'], out: ['app', '--api-key', R], secret: 'k8' },
  { name: 'curl -u user:password', argv: ['curl', '-u', 'me:pw9', 'https://h'], out: ['curl', '-u', `me:${R}`, 'https://h'], secret: 'pw9' },
  {
    name: 'curl -H with an Authorization header',
    argv: ['curl', '-H', 'Authorization: Bearer tok10abcdef', 'https://h'],
    out: ['curl', '-H', `Authorization: ${R}`, 'https://h'],
    secret: 'tok10',
  },
  { name: 'a secret assignment inside sh -c', argv: ['sh', '-c', 'PGPASSWORD=pw11 psql -h db'], out: ['sh', '-c', `PGPASSWORD=${R} psql -h db`], secret: 'pw11' },
  { name: 'a secret flag inside sh -c', argv: ['sh', '-c', 'deploy --token tok12 --verbose'], out: ['sh', '-c', `deploy --token ${R} --verbose`], secret: 'tok12' },
  { name: 'a Java system property', argv: ['java', '-Ddb.password=pw13', '-jar', 'app.jar'], out: ['java', `-Ddb.password=${R}`, '-jar', 'app.jar'], secret: 'pw13' },
  { name: 'a URL in a flag value', argv: ['app', '--db=postgres://u:pw14@h/db'], out: ['app', `--db=postgres://u:${R}@h/db`], secret: 'pw14' },
  { name: 'a secret TOKEN=x argument with blanks', argv: ['env', 'API_TOKEN=a b c', 'app'], out: ['env', `API_TOKEN=${R}`, 'app'], secret: 'a b c' },
  { name: 'a libpq connection string', text: 'host=h port=5432 password=pw15 user=u', out: `host=h port=5432 password=${R} user=u`, secret: 'pw15' },
  { name: 'a quoted libpq password', text: "host=h password='a b pw16' user=u", out: `host=h password='${R}' user=u`, secret: 'pw16' },
  {
    name: 'an ADO.NET connection string',
    text: 'Server=tcp:h,1433;Database=d;User ID=u;Password=p w17;Encrypt=true',
    out: `Server=tcp:h,1433;Database=d;User ID=u;Password=${R};Encrypt=true`,
    secret: 'w17',
  },
  { name: 'an ODBC PWD in braces', text: 'Driver={ODBC Driver 18};Server=h;UID=u;PWD={p;w18}', out: `Driver={ODBC Driver 18};Server=h;UID=u;PWD=${R}`, secret: 'w18' },
  {
    name: 'an Azure storage connection string',
    text: 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc+/d19==;EndpointSuffix=core.windows.net',
    out: `DefaultEndpointsProtocol=https;AccountName=a;AccountKey=${R};EndpointSuffix=core.windows.net`,
    secret: 'd19',
  },
  { name: 'an npmrc auth token', text: '//registry.npmjs.org/:_authToken=npm20tok', out: `//registry.npmjs.org/:_authToken=${R}`, secret: 'npm20tok' },
  { name: 'a password in JSON', env: { SPRING_APPLICATION_JSON: '{"db":{"password":"pw21","user":"u"}}' }, out: { SPRING_APPLICATION_JSON: `{"db":{"password":"${R}","user":"u"}}` }, secret: 'pw21' },
  { name: 'proxy credentials without a scheme', env: { HTTPS_PROXY: 'user:pw22@proxy.corp:8080' }, out: { HTTPS_PROXY: `user:${R}@proxy.corp:8080` }, secret: 'pw22' },
  { name: 'a DATABASE_URL', env: { DATABASE_URL: 'postgres://app:pw23@db/app' }, out: { DATABASE_URL: `postgres://app:${R}@db/app` }, secret: 'pw23' },
  { name: 'a DSN that is no URL (fails closed)', env: { SENTRY_DSN: 'not a url pw24' }, out: { SENTRY_DSN: R }, secret: 'pw24' },
  {
    name: 'secret names, whatever the value',
    env: { DB_PASS: 'x25', SESSION_SECRET: 'x26', GITHUB_TOKEN: 'x27', APP_CREDENTIALS: 'x28', PRIVATE_THING: 'x29', COOKIE_JAR: 'x30', AUTH: 'x31' },
    out: { DB_PASS: R, SESSION_SECRET: R, GITHUB_TOKEN: R, APP_CREDENTIALS: R, PRIVATE_THING: R, COOKIE_JAR: R, AUTH: R },
    secret: 'x',
  },
  { name: 'a JWT anywhere in a value', env: { LAST_ID: `id=${JWT};` }, out: { LAST_ID: `id=${R};` }, secret: 'dozjg' },
  { name: 'an AWS access key id', text: 'aws_access=AKIAIOSFODNN7EXAMPLE,region=eu-west-1', out: `aws_access=${R},region=eu-west-1`, secret: 'IOSFODNN7' },
  { name: 'a PEM private key', env: { TLS_MATERIAL: `x${PEM}y` }, out: { TLS_MATERIAL: `x${R}y` }, secret: 'MIIE' },
  { name: 'a PEM private key cut short', text: '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk', out: R, secret: 'b3Blbn' },
  { name: 'a GitHub token', env: { GH: GHP }, out: { GH: R }, secret: 'a1B2' },
  { name: 'a Slack token', text: 'slack xoxb-123456789012-abcdefghij', out: `slack ${R}`, secret: 'abcdefghij' },
  { name: 'a Stripe key', text: 'stripe=sk_live_abcdefghijklmnop', out: `stripe=${R}`, secret: 'abcdefghijkl' },
  { name: 'a Basic credential in a value', text: 'proxy: Basic dXNlcjpwYXNzd29yZA==', out: `proxy: Basic ${R}`, secret: 'dXNlcj' },
  {
    name: 'secret headers',
    headers: { authorization: 'Bearer h1', 'proxy-authorization': 'Basic h2', cookie: 'sid=h3', 'set-cookie': ['a=h4', 'b=h5'], 'x-api-key': 'h6', 'x-auth-token': 'h7', 'x-amz-security-token': 'h8' },
    out: { authorization: R, 'proxy-authorization': R, cookie: R, 'set-cookie': R, 'x-api-key': R, 'x-auth-token': R, 'x-amz-security-token': R },
    secret: 'h',
  },
  { name: 'a token in a Referer header', headers: { referer: 'https://app.test/?token=h9' }, out: { referer: `https://app.test/?token=${R}` }, secret: 'h9' },
];

/** Harmless values that must come out exactly as they went in. */
const HARMLESS: Case[] = [
  {
    name: 'ordinary environment variables',
    env: { PATH: '/usr/local/bin:/usr/bin', NODE_ENV: 'production', HOME: '/home/app', PWD: '/srv/app', LANG: 'en_US.UTF-8', NODE_OPTIONS: '--max-old-space-size=4096', HOSTNAME: 'web-1' },
    out: { PATH: '/usr/local/bin:/usr/bin', NODE_ENV: 'production', HOME: '/home/app', PWD: '/srv/app', LANG: 'en_US.UTF-8', NODE_OPTIONS: '--max-old-space-size=4096', HOSTNAME: 'web-1' },
    secret: '',
  },
  { name: 'a URL without credentials', url: 'https://example.com/a/b?page=2&q=cats#top', out: 'https://example.com/a/b?page=2&q=cats#top', secret: '' },
  { name: 'a scoped npm package URL', url: 'https://registry.npmjs.org/@types/node', out: 'https://registry.npmjs.org/@types/node', secret: '' },
  { name: 'an @ in a query', url: 'https://h:8080/x?email=a@b.c', out: 'https://h:8080/x?email=a@b.c', secret: '' },
  { name: 'a local URL', url: 'http://localhost:4001/api/system', out: 'http://localhost:4001/api/system', secret: '' },
  { name: 'a request path', url: '/search?q=cats&page=2', out: '/search?q=cats&page=2', secret: '' },
  { name: 'a file URL in a stack frame', text: 'at f (file:///home/u/node_modules/@scope/pkg/x.js:1:2)', out: 'at f (file:///home/u/node_modules/@scope/pkg/x.js:1:2)', secret: '' },
  { name: 'an scp-style git remote and an e-mail', text: 'git@github.com:org/repo.git ann@example.com', out: 'git@github.com:org/repo.git ann@example.com', secret: '' },
  {
    name: 'ordinary flags',
    argv: ['node', '--max-old-space-size=4096', 'server.js', '--port', '4001', '--host', '0.0.0.0', '--inspect=9229', '--no-auth', '--port', '80'],
    out: ['node', '--max-old-space-size=4096', 'server.js', '--port', '4001', '--host', '0.0.0.0', '--inspect=9229', '--no-auth', '--port', '80'],
    secret: '',
  },
  { name: 'ordinary headers', headers: { accept: 'text/html', 'user-agent': 'curl/8', host: 'localhost:4001' }, out: { accept: 'text/html', 'user-agent': 'curl/8', host: 'localhost:4001' }, secret: '' },
];

function run(c: Case, r = createRedactor()): unknown {
  if ('url' in c) return r.url(c.url);
  if ('text' in c) return r.text(c.text);
  if ('argv' in c) return r.argv(c.argv);
  if ('env' in c) return r.record(c.env);
  return r.headers(c.headers);
}

test('the table holds at least 40 hostile cases', () => {
  assert.ok(HOSTILE.length >= 40, `${HOSTILE.length} cases`);
});

for (const c of HOSTILE) {
  test(`redacts ${c.name}`, () => {
    const out = run(c);
    assert.deepEqual(out, c.out);
    // Exact output above; and, should `out` be edited wrongly, the secret must still be gone.
    if (c.secret.length > 1) assert.ok(!JSON.stringify(out).includes(c.secret), `${c.secret} survived`);
  });
}

for (const c of HARMLESS) {
  test(`keeps ${c.name}`, () => {
    assert.deepEqual(run(c), c.out);
  });
}

test('redacting twice changes nothing more than redacting once', () => {
  const r = createRedactor();
  for (const c of HOSTILE) {
    const once = run(c, r);
    const again = typeof once === 'string' ? r.url(once) : Array.isArray(once) ? r.argv(once) : r.record(once as Record<string, string>);
    assert.deepEqual(again, once, c.name);
  }
});

test('a report-like object is redacted deep: secret keys hidden whole, every string scanned', () => {
  const r = createRedactor();
  const out = r.deep({ header: { cwd: '/srv', commandLine: ['node', `--x=${JWT}`] }, nested: [{ apiKey: { a: 1 }, msg: 'postgres://u:pw@h/db', n: 3 }] });
  assert.deepEqual(out, { header: { cwd: '/srv', commandLine: ['node', `--x=${R}`] }, nested: [{ apiKey: R, msg: `postgres://u:${R}@h/db`, n: 3 }] });
});

test('a URL built to be slow (thousands of @) is hidden whole instead of searched at length', () => {
  const r = createRedactor();
  assert.equal(r.url(`http://${'a@'.repeat(20_000)}h/`), `http://${R}`);
  assert.equal(r.headers({ referer: `https://${'u:p@'.repeat(5000)}h/` }).referer, `https://${R}`);
  // Fewer is still parsed: the credentials end at the last @ before the host.
  assert.equal(r.url(`http://u:${'p@'.repeat(20)}h/x`), `http://u:${R}@h/x`);
});

test('show lets one name through and disabled lets everything through, values and tokens included', () => {
  assert.deepEqual(createRedactor({ show: ['SESSION_STORE'] }).record({ SESSION_STORE: 'redis', SESSION_SECRET: 'x' }), { SESSION_STORE: 'redis', SESSION_SECRET: R });
  const off = createRedactor({ disabled: true });
  assert.equal(off.url('postgres://u:pw@h/db'), 'postgres://u:pw@h/db');
  assert.deepEqual(off.argv(['-psecret']), ['-psecret']);
  assert.equal(off.text(JWT), JWT);
});

test('a real child started with secrets in its argv and env shows them redacted on the Processes page and in its report download', async () => {
  const observer = createObserver();
  const server = await start({ port: 0, registry: createRegistry({ node: 'parent' }), observer });
  const file = fileURLToPath(new URL('../helpers/node-process.ts', import.meta.url));
  const args = ['--import', 'tsx', file, '--token', 'child-secret-1', '-pchild-secret-2', '--db=postgres://u:child-secret-3@h/db', '--port', '4001'];
  const env = {
    ...process.env,
    NODE_CONFIG: JSON.stringify({ name: 'child', port: 0 }),
    API_TOKEN: 'child-secret-4',
    DATABASE_URL: 'postgres://u:child-secret-5@h/db',
    SENTRY_DSN: 'https://child-secret-6@sentry.io/1',
    LAST_JWT: JWT,
  };
  const started = await startChild(process.execPath, args, { env, ready: /^\{.*"url".*\}$/m, what: 'the child node' });
  const { child } = started;
  try {
    const { url } = JSON.parse(started.match[0]) as { url: string };

    // The parent's Processes page, over its HTTP API: the row and its detail.
    const list = (await (await fetch(`${server.url}/api/processes`)).json()) as { children: { id: string; pid: number; command: string[] }[] };
    const row = list.children.find((c) => c.pid === child.pid);
    assert.ok(row !== undefined, 'the child is listed');
    assert.deepEqual(row.command.slice(4), ['--token', R, `-p${R}`, `--db=postgres://u:${R}@h/db`, '--port', '4001']);
    const detail = await (await fetch(`${server.url}/api/processes/${encodeURIComponent(row.id)}`)).text();
    assert.ok(!detail.includes('child-secret'), detail.slice(0, 300));

    // The child's own System page and report download.
    const system = (await (await fetch(`${url}/api/system`)).json()) as { process: { argv: string[] } };
    assert.ok(!JSON.stringify(system).includes('child-secret'));
    assert.deepEqual(system.process.argv.slice(-2), ['--port', '4001']);
    const res = await fetch(`${url}/api/diagnostics/report`, { method: 'POST', headers: { 'x-wobserver-request': '1', origin: url } });
    assert.equal(res.status, 200);
    const text = await res.text();
    assert.ok(!text.includes('child-secret'), 'no secret anywhere in the report');
    assert.ok(!text.includes('dozjgNry'), 'no JWT anywhere in the report');
    const report = JSON.parse(text) as { environmentVariables: Record<string, string>; header: { commandLine: string[] } };
    assert.equal(report.environmentVariables.API_TOKEN, R);
    assert.equal(report.environmentVariables.DATABASE_URL, `postgres://u:${R}@h/db`);
    assert.equal(report.environmentVariables.SENTRY_DSN, R);
    assert.equal(report.environmentVariables.PATH, process.env.PATH, 'harmless variables are shown as they are');
    assert.deepEqual(report.header.commandLine.slice(-2), ['--port', '4001']);
  } finally {
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    await server.close();
    observer.close();
  }
});

test('a request in flight shows its URL and headers redacted on the Processes page, over the HTTP API', async () => {
  const observer = createObserver();
  const server = await start({ port: 0, registry: createRegistry({ node: 'n' }), observer });
  let release: () => void = () => undefined;
  const app = createServer((req, res) => {
    req.resume();
    release = () => res.end('done');
  });
  await new Promise<void>((resolve) => app.listen(0, '127.0.0.1', resolve));
  const port = (app.address() as { port: number }).port;
  try {
    const answered = new Promise<void>((resolve, reject) => {
      const headers = {
        cookie: 'sid=req-secret-1',
        'x-api-key': 'req-secret-2',
        'proxy-authorization': 'Basic req-secret-3',
        referer: 'https://app.test/cb?code=req-secret-4&page=1',
        'x-debug': `forwarded ${JWT}`,
        'x-trace': 'trace-7',
      };
      const req = httpRequest({ host: '127.0.0.1', port, path: '/cb?code=req-secret-5&sig=req-secret-6&page=2', headers }, (res) => {
        res.resume();
        res.on('end', () => resolve());
      });
      req.on('error', reject);
      req.end();
    });
    const rows = await until(
      async () => ((await (await fetch(`${server.url}/api/processes`)).json()) as { requests: { id: string; url: string }[] }).requests,
      (r) => r.some((x) => x.url.startsWith('/cb')),
      'the request is in flight',
    );
    const row = rows.find((x) => x.url.startsWith('/cb'))!;
    assert.equal(row.url, `/cb?code=${R}&sig=${R}&page=2`);
    const detail = (await (await fetch(`${server.url}/api/processes/${encodeURIComponent(row.id)}`)).json()) as { headers: Record<string, string> };
    assert.ok(!JSON.stringify(detail).includes('req-secret'), JSON.stringify(detail.headers));
    assert.ok(!JSON.stringify(detail).includes('dozjgNry'));
    assert.equal(detail.headers.referer, `https://app.test/cb?code=${R}&page=1`);
    assert.equal(detail.headers['x-trace'], 'trace-7');
    release();
    await answered;
  } finally {
    app.closeAllConnections();
    app.close();
    await server.close();
    observer.close();
  }
});
