// Builds the web UI into dist/ui: the minified entry JavaScript and one CSS file
// with content hashes, and index.html that loads them by relative URL (so it works
// under any prefix). Code is split: what a page loads with import() (the profile
// viewer) goes into chunks of its own under assets/chunks/, fetched on demand. Beside every text asset (JS, CSS, HTML, SVG) it writes
// the file brotli-compressed (.br, quality 11) and gzipped (.gz, level 9), which
// the server sends by the request's Accept-Encoding; a compressed copy that
// would not be smaller is not written. Prints the sizes of what the first page loads
// (index.html, the entry, its static imports found through the metafile, and its CSS)
// against the budget, and of each chunk loaded on demand.
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
  splitting: true,
  entryNames: '[name]-[hash]',
  chunkNames: 'chunks/[name]-[hash]',
  metafile: true,
  sourcemap: false,
  legalComments: 'none',
  logLevel: 'warning',
  tsconfig: join(root, 'src', 'ui', 'tsconfig.json'),
});
const outputs = result.metafile.outputs;
const entryKey = Object.keys(outputs).find((f) => outputs[f].entryPoint !== undefined && f.endsWith('.js'));
if (entryKey === undefined) throw new Error('build-ui: no JavaScript output');
/** The entry and every chunk it imports statically, transitively: what index.html makes the browser load. */
const statics = new Set();
for (const todo = [entryKey]; todo.length > 0; ) {
  const f = todo.pop();
  if (statics.has(f)) continue;
  statics.add(f);
  for (const i of outputs[f].imports) if (i.kind === 'import-statement' && !i.external) todo.push(i.path);
}
const js = join(root, entryKey);
const cssKey = outputs[entryKey].cssBundle;
const css = cssKey === undefined ? undefined : join(root, cssKey);
const firstPage = [...statics].filter((f) => f !== entryKey).map((f) => join(root, f));
const onDemand = Object.keys(outputs).filter((f) => !statics.has(f) && f !== cssKey && !f.endsWith('.map')).map((f) => join(root, f));
const html = readFileSync(join(root, 'src', 'ui', 'index.html'), 'utf8')
  .replace('<!--css-->', css === undefined ? '' : `<link rel="stylesheet" href="assets/${basename(css)}">`)
  // The chunks the entry imports statically are preloaded beside it, not fetched only once it has been parsed.
  .replace('<!--js-->', [...firstPage.map((f) => `<link rel="modulepreload" href="${relative(out, f)}">`), `<script type="module" src="assets/${basename(js)}"></script>`].join('\n'));
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
const row = (f) => {
  const { raw, gz, br } = sizes.get(f);
  return `  ${relative(out, f).padEnd(36)} ${kb(raw)}  ${kb(gz)} gzip  ${kb(br)} brotli`;
};
for (const f of [join(out, 'index.html'), js, ...firstPage, css].filter(Boolean)) {
  total += sizes.get(f).gz;
  totalBr += sizes.get(f).br;
  rows.push(row(f));
}
const later = onDemand.filter((f) => sizes.has(f)).map(row);
console.log(
  `build-ui: dist/ui\n${rows.join('\n')}\n  first page, all together: ${(total / 1024).toFixed(1)} KB gzipped, ${(totalBr / 1024).toFixed(1)} KB brotli (budget ${BUDGET / 1024} KB gzipped)` +
    (later.length > 0 ? `\n  loaded on demand:\n${later.join('\n')}` : ''),
);
if (total > BUDGET) {
  console.error(`build-ui: over budget by ${((total - BUDGET) / 1024).toFixed(1)} KB`);
  process.exit(1);
}
