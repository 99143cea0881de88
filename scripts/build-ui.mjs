// Builds the web UI into dist/ui: one minified JavaScript and one CSS file with
// content hashes, and index.html that loads them by relative URL (so it works
// under any prefix). Prints the gzipped size of what the first page loads.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'ui');
const BUDGET = 100 * 1024;

rmSync(out, { recursive: true, force: true });
mkdirSync(join(out, 'assets'), { recursive: true });
const result = await build({
  entryPoints: { app: join(root, 'src', 'ui', 'main.tsx') },
  bundle: true,
  minify: true,
  format: 'esm',
  target: ['es2022'],
  jsx: 'automatic',
  jsxImportSource: 'preact',
  outdir: join(out, 'assets'),
  entryNames: '[name]-[hash]',
  metafile: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  tsconfig: join(root, 'src', 'ui', 'tsconfig.json'),
});
const files = Object.keys(result.metafile.outputs).map((f) => join(root, f));
const js = files.find((f) => f.endsWith('.js'));
const css = files.find((f) => f.endsWith('.css'));
if (js === undefined) throw new Error('build-ui: no JavaScript output');
const html = readFileSync(join(root, 'src', 'ui', 'index.html'), 'utf8')
  .replace('<!--css-->', css === undefined ? '' : `<link rel="stylesheet" href="assets/${basename(css)}">`)
  .replace('<!--js-->', `<script type="module" src="assets/${basename(js)}"></script>`);
writeFileSync(join(out, 'index.html'), html);

let total = 0;
const rows = [];
for (const f of [join(out, 'index.html'), js, css].filter(Boolean)) {
  const raw = readFileSync(f);
  const gz = gzipSync(raw, { level: 9 }).length;
  total += gz;
  rows.push(`  ${basename(f).padEnd(28)} ${(raw.length / 1024).toFixed(1).padStart(7)} KB  ${(gz / 1024).toFixed(1).padStart(6)} KB gzipped`);
}
console.log(`build-ui: dist/ui\n${rows.join('\n')}\n  first page, all together: ${(total / 1024).toFixed(1)} KB gzipped (budget ${BUDGET / 1024} KB)`);
if (total > BUDGET) {
  console.error(`build-ui: over budget by ${((total - BUDGET) / 1024).toFixed(1)} KB`);
  process.exit(1);
}
