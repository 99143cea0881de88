import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freePort } from './helpers/carbon.js';
import { startChild } from './helpers/child.js';

const register = fileURLToPath(new URL('../src/register.ts', import.meta.url));

/** Runs the fixture `app` with wobserver preloaded; resolves once the application printed its port. */
async function preload(app: string, env: Record<string, string>): Promise<{ stdout: string; stderr: string; pid: number; kill(): void }> {
  const c = await startChild(process.execPath, ['--import', 'tsx', '--import', register, fileURLToPath(new URL(`./fixtures/${app}`, import.meta.url))], {
    env: { ...process.env, ...env },
    ready: /"app"/,
    what: `the app ${app}`,
  });
  return {
    get stdout() {
      return c.stdout();
    },
    get stderr() {
      return c.stderr();
    },
    pid: c.child.pid!,
    kill: c.kill,
  };
}

for (const [app, kind] of [['app-esm.mjs', 'undefined'], ['app-cjs.cjs', 'function']] as const) {
  test(`node --import wobserver/register starts wobserver inside an unmodified ${app.includes('esm') ? 'ESM' : 'CommonJS'} application`, { timeout: 60_000 }, async () => {
    const port = await freePort();
    const p = await preload(app, { WOBSERVER_PORT: String(port), WOBSERVER_NODE_NAME: `preloaded-${kind}` });
    try {
      const appInfo = JSON.parse(p.stdout.trim().split('\n')[0]!) as { app: number; kind: string };
      assert.equal(appInfo.kind, kind, 'the application ran as what it is');
      assert.match(p.stderr, new RegExp(`wobserver: http://127\\.0\\.0\\.1:${port} \\(pid ${p.pid}\\)`));
      const about = (await (await fetch(`http://127.0.0.1:${port}/api/about`)).json()) as { pid: number; node: string };
      assert.equal(about.pid, p.pid);
      assert.equal(about.node, `preloaded-${kind}`);
      const system = (await (await fetch(`http://127.0.0.1:${port}/api/system`)).json()) as { process: { argv: string[] } };
      assert.ok(system.process.argv.some((a) => a.endsWith(app)));
      assert.equal(await (await fetch(`http://127.0.0.1:${appInfo.app}/`)).text(), `the ${app.includes('esm') ? 'esm' : 'cjs'} app`);
    } finally {
      p.kill();
    }
  });
}

test('a bad configuration is reported and the application runs on without wobserver', { timeout: 60_000 }, async () => {
  const p = await preload('app-esm.mjs', { WOBSERVER_PORT: 'many', WOBSERVER_DIAGNOSTICS: 'perhaps' });
  try {
    assert.match(p.stderr, /invalid configuration/);
    assert.match(p.stderr, /WOBSERVER_PORT = "many"/);
    assert.match(p.stderr, /WOBSERVER_DIAGNOSTICS = "perhaps"/);
  } finally {
    p.kill();
  }
});
