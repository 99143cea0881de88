// Regenerates the screenshots docs/ui.md shows (docs/ui/*.png) from the browser
// tests: builds the UI, then runs test/ui/ with WOBSERVER_SCREENSHOTS=docs, which
// makes their shot() write docs/ui/<name>.png beside test-results/ui-<name>.png
// (every page at 1440 px in the light theme, System in the dark one and on a
// 390 px phone, the Fleet page of 50 nodes, the Event loop page after a real block
// of the demo, a CPU profile of the demo as a flame graph, two heap snapshots compared, the Traffic, Logs and
// Request logger pages with the demo's live data, the sign-in view
// after a wrong token). Extra arguments are passed to node's test runner. The PNGs are then reduced to a
// palette with pngquant (apt-get install pngquant), a third of their size, so that docs/ui stays under the
// package's bound for screenshots (test/package.test.ts); without pngquant they are kept as Chromium wrote them.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const run = (args, env = {}) => spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } }).status ?? 1;

const started = Date.now();
if (run([join('scripts', 'build-ui.mjs')]) !== 0) process.exit(1);
const status = run(['--import', 'tsx', '--test', '--test-timeout=180000', ...process.argv.slice(2), join('test', 'ui', 'ui.test.ts'), join('test', 'ui', 'every-page.test.ts'), join('test', 'ui', 'fleet.test.ts'), join('test', 'ui', 'eventloop.test.ts'), join('test', 'ui', 'profile-demo.test.ts'), join('test', 'ui', 'heap-view.test.ts'), join('test', 'ui', 'traffic-logs.test.ts'), join('test', 'security', 'sign-in.test.ts')], { WOBSERVER_SCREENSHOTS: 'docs' });
const dir = join(root, 'docs', 'ui');
const written = readdirSync(dir).filter((f) => f.endsWith('.png') && statSync(join(dir, f)).mtimeMs >= started);
const quant = written.length === 0 ? { status: 0 } : spawnSync('pngquant', ['--quality=70-95', '--speed=1', '--strip', '--force', '--ext=.png', ...written.map((f) => join(dir, f))], { stdio: 'inherit' });
if (quant.error !== undefined) console.error('screenshots: pngquant is missing (apt-get install pngquant): the PNGs are kept at full size');
else if (quant.status !== 0) console.error(`screenshots: pngquant exited with ${quant.status}`);
console.log(`screenshots: ${written.length} written to docs/ui: ${written.sort().join(', ')}`);
if (status !== 0) console.error('screenshots: some tests failed; their screenshots may be missing or show the failure');
process.exit(status);
