// Builds the web UI into dist/ui: one minified JavaScript and one CSS file with
// content hashes, and index.html that loads them by relative URL (so it works
// under any prefix). Beside every text asset (JS, CSS, HTML, SVG) it writes
// the file brotli-compressed (.br, quality 11) and gzipped (.gz, level 9), which
// the server sends by the request's Accept-Encoding; a compressed copy that
// would not be smaller is not written. Prints the sizes of what the first page loads.
import { build } from 'esbuild';
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

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

/** Every file under `dir`, recursively. */
function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
}

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|txt)$/;
const sizes = new Map();
for (const f of walk(out).filter((f) => COMPRESSIBLE.test(f))) {
  const raw = readFileSync(f);
  const br = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT } });
  const gz = gzipSync(raw, { level: 9 });
  if (br.length < raw.length) writeFileSync(`${f}.br`, br);
  if (gz.length < raw.length) writeFileSync(`${f}.gz`, gz);
  sizes.set(f, { raw: raw.length, br: Math.min(br.length, raw.length), gz: Math.min(gz.length, raw.length) });
}

const kb = (n) => `${(n / 1024).toFixed(1).padStart(6)} KB`;
let total = 0;
let totalBr = 0;
const rows = [];
for (const f of [join(out, 'index.html'), js, css].filter(Boolean)) {
  const { raw, gz, br } = sizes.get(f);
  total += gz;
  totalBr += br;
  rows.push(`  ${relative(out, f).padEnd(30)} ${kb(raw)}  ${kb(gz)} gzip  ${kb(br)} brotli`);
}
console.log(`build-ui: dist/ui\n${rows.join('\n')}\n  first page, all together: ${(total / 1024).toFixed(1)} KB gzipped, ${(totalBr / 1024).toFixed(1)} KB brotli (budget ${BUDGET / 1024} KB gzipped)`);
if (total > BUDGET) {
  console.error(`build-ui: over budget by ${((total - BUDGET) / 1024).toFixed(1)} KB`);
  process.exit(1);
}
