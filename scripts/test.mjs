// Runs every test file under test/ with node's test runner (TypeScript through tsx).
import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? find(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

// --unit: only the tests that run inside this process on loopback, fast and with no
// peer program: a file that imports a peer helper (chromium, carbon, promtool or
// prometheus, the Python receiver) or starts processes of its own is left out.
const OUT_OF_PROCESS = /from '[./]*(?:helpers\/)?(?:browser|carbon|peers|tiny-window-receiver|child|fleet|cluster)\.js'|node:child_process|node:cluster|cluster-primary/;
const unit = process.argv.includes('--unit');
const only = process.argv.slice(2).filter((a) => a !== '--unit');
let files = only.length > 0 ? only : find('test').sort();
if (unit) files = files.filter((f) => !OUT_OF_PROCESS.test(readFileSync(f, 'utf8')));
if (files.length === 0) {
  console.error('no test files found under test/');
  process.exit(1);
}
// No test may hang CI: each gets two minutes at most.
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-timeout=120000', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
