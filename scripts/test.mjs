// Runs every test file under test/ with node's test runner (TypeScript through tsx).
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? find(join(dir, e.name)) : e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

const only = process.argv.slice(2);
const files = only.length > 0 ? only : find('test').sort();
if (files.length === 0) {
  console.error('no test files found under test/');
  process.exit(1);
}
// No test may hang CI: each gets two minutes at most.
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-timeout=120000', ...files], { stdio: 'inherit' });
process.exit(r.status ?? 1);
