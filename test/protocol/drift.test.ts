import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Connection, LoadColumns, ProcessDetail, ProcessesInfo, SystemInfo } from '../../src/client/index.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/**
 * A copy of the sources with one edit, type-checked the way `npm run
 * typecheck` does, from the one file that is edited (tsc follows its
 * imports): the runtime with the server's options, the UI with its own.
 */
function check(side: 'runtime' | 'ui', edit?: { file: string; from: string; to: string }): { ok: boolean; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'wobserver-drift-'));
  try {
    cpSync(join(ROOT, 'src'), join(dir, 'src'), { recursive: true });
    // ESM, as the package is: NodeNext reads it from package.json.
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    if (edit !== undefined) {
      const path = join(dir, edit.file);
      const text = readFileSync(path, 'utf8');
      assert.ok(text.includes(edit.from), `${edit.file} has ${edit.from}`);
      writeFileSync(path, text.replaceAll(edit.from, edit.to));
    }
    let project: string;
    if (side === 'runtime') {
      const base = JSON.parse(readFileSync(join(ROOT, 'tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
      project = join(dir, 'tsconfig.check.json');
      // The topic that reads it, so that the server's side of the contract is checked too.
      writeFileSync(project, JSON.stringify({ compilerOptions: { ...base.compilerOptions, noEmit: true }, files: ['src/runtime/system.ts', 'src/server/topics/index.ts'] }));
    } else {
      const base = JSON.parse(readFileSync(join(ROOT, 'src/ui/tsconfig.json'), 'utf8')) as { compilerOptions: Record<string, unknown> };
      project = join(dir, 'src/ui/tsconfig.check.json');
      writeFileSync(project, JSON.stringify({ compilerOptions: base.compilerOptions, files: ['pages/system.tsx', 'pages/index.tsx'] }));
    }
    const r = spawnSync(process.execPath, [TSC, '-p', project], { encoding: 'utf8' });
    return { ok: r.status === 0, output: `${r.stdout}${r.stderr}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('the contract as it is compiles on both sides (the control of the cases below)', () => {
  const runtime = check('runtime');
  assert.ok(runtime.ok, runtime.output);
  const ui = check('ui');
  assert.ok(ui.ok, ui.output);
});

test('a field the UI reads under another name than the runtime produces does not compile', () => {
  const r = check('ui', { file: 'src/ui/pages/system.tsx', from: 's.process.uptimeSeconds', to: 's.process.uptimeSecs' });
  assert.equal(r.ok, false);
  assert.match(r.output, /pages\/system\.tsx.*uptimeSecs/);
});

test('a field the runtime produces under another name than the contract says does not compile', () => {
  const r = check('runtime', { file: 'src/runtime/system.ts', from: 'uptimeSeconds: process.uptime()', to: 'uptimeSecs: process.uptime()' });
  assert.equal(r.ok, false);
  assert.match(r.output, /runtime\/system\.ts.*uptimeSecs/);
});

test('a field renamed in the contract alone breaks both sides', () => {
  const edit = { file: 'src/protocol/system.ts', from: 'uptimeSeconds: number;\n    startTime', to: 'uptimeSecs: number;\n    startTime' };
  const runtime = check('runtime', edit);
  assert.equal(runtime.ok, false);
  assert.match(runtime.output, /runtime\/system\.ts/);
  const ui = check('ui', edit);
  assert.equal(ui.ok, false);
  assert.match(ui.output, /pages\/system\.tsx.*uptimeSeconds/);
});

test('a topic in the contract without a server topic file does not compile', () => {
  const r = check('runtime', { file: 'src/server/topics/index.ts', from: 'diagnostics, about }', to: 'about }' });
  assert.equal(r.ok, false);
  assert.match(r.output, /diagnostics/);
});

/** Compiled by `npm run typecheck`, never called: the client's reads are typed by the topic and by whether the parameters name an item. */
export function clientReadsAreTyped(c: Connection): void {
  const system: Promise<SystemInfo> = c.get('system');
  const list: Promise<ProcessesInfo> = c.get('processes');
  const one: Promise<ProcessDetail> = c.get('processes', { params: { id: 'main' } });
  c.subscribe('load', { every: 1000 }, (columns: LoadColumns) => void columns.timestamps);
  // @ts-expect-error a field the contract does not have
  void c.get('about').then((a) => a.uptime);
  void [system, list, one];
}
