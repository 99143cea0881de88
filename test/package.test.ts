import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import { freePort } from './helpers/carbon.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

function sh(cmd: string, args: string[], cwd: string): string {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 180_000 });
  assert.equal(r.status, 0, `${cmd} ${args.join(' ')}:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

test('the published package: its contents, publint, and an install of the tarball used by the README\'s instructions', { timeout: 300_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'wob-pack-'));
  try {
    // npm test built dist already; pack it as npm publish would.
    const packed = JSON.parse(sh('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', dir], ROOT)) as { filename: string; files: { path: string }[] }[];
    const files = packed[0]!.files.map((f) => f.path);
    for (const f of ['dist/index.js', 'dist/index.d.ts', 'dist/register.js', 'dist/cli/index.js', 'dist/attach-loader.cjs', 'dist/ui/index.html', 'dist/metrics/index.js', 'dist/client/index.js', 'README.md', 'docs/api.md']) {
      assert.ok(files.includes(f), `${f} is in the package`);
    }
    assert.ok(files.some((f) => /^dist\/ui\/assets\/app-[\w-]+\.js$/.test(f)), 'the built UI is in the package');
    assert.deepEqual(files.filter((f) => /(^|\/)(test|src|bench)\/|\.test\.|\.map$|\.png$/.test(f)), [], 'no tests, sources, benchmarks, maps or images');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    assert.equal(pkg.engines.node, '>=20');
    sh(process.execPath, [join(ROOT, 'node_modules/publint/src/cli.js'), '--strict'], ROOT);

    // An empty project installs the tarball (from npm's cache: no network) and uses it as the README says.
    const app = join(dir, 'app');
    sh('mkdir', ['-p', app], dir);
    writeFileSync(join(app, 'package.json'), JSON.stringify({ name: 'consumer', version: '1.0.0', type: 'module', private: true }));
    sh('npm', ['install', '--offline', '--no-audit', '--no-fund', join(dir, packed[0]!.filename)], app);
    writeFileSync(join(app, 'app.mjs'), "import { createServer } from 'node:http';\ncreateServer((q, r) => r.end('consumer')).listen(0);\nsetInterval(() => {}, 1000);\n");
    writeFileSync(
      join(app, 'typed.ts'),
      "import { start, createRegistry, GraphiteReporter, type StartOptions } from 'wobserver';\nimport { connect } from 'wobserver/client';\nconst o: StartOptions = { port: 0 };\nvoid start(o); void createRegistry; void GraphiteReporter; void connect;\n",
    );
    // The types resolve for an ESM TypeScript consumer.
    sh(process.execPath, [join(ROOT, 'node_modules/typescript/bin/tsc'), '--noEmit', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--skipLibCheck', 'typed.ts'], app);
    // The bin is on npx's path.
    assert.match(sh('npx', ['--no-install', 'wobserver', '--help'], app), /usage: wobserver <command>/);
    // Preload with only the README's line.
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'wobserver/register', 'app.mjs'], { cwd: app, env: { ...process.env, WOBSERVER_PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d));
    try {
      const started = Date.now();
      while (!err.includes('wobserver: http')) {
        if (Date.now() - started > 30_000) throw new Error(`no wobserver: ${err}`);
        await sleep(100);
      }
      const about = (await (await fetch(`http://127.0.0.1:${port}/api/about`)).json()) as { pid: number };
      assert.equal(about.pid, child.pid);
      assert.match(await (await fetch(`http://127.0.0.1:${port}/`)).text(), /<div id="app"><\/div>/, 'the UI, from the installed package');
    } finally {
      child.kill('SIGKILL');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
