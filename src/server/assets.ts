import { createReadStream, existsSync, realpathSync } from 'node:fs';
import { realpath, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, sep } from 'node:path';
import { type ContentCoding, negotiateEncoding } from '../exporters/encoding.js';
import { HttpError } from './http-error.js';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Types worth compressing: the build writes `.br` and `.gz` beside these. */
const COMPRESSIBLE = new Set(['.html', '.js', '.mjs', '.css', '.json', '.svg', '.txt']);
/** The file suffix of each precompressed coding. */
const SUFFIX: Record<Exclude<ContentCoding, 'identity'>, string> = { br: '.br', gzip: '.gz' };

/**
 * The built web UI, served from a folder of the package. A request names a
 * file by path segments; none may be empty, `.`, `..`, or carry a separator or
 * NUL, and the resolved file (links followed) must lie inside the folder.
 *
 * A text file is sent precompressed when the folder holds `<file>.br` or
 * `<file>.gz` (scripts/build-ui.mjs writes both; not compared by date: npm
 * gives installed files the time they were unpacked) and the request's `Accept-Encoding` prefers it (`negotiateEncoding`: br >
 * gzip > identity, q-values honoured), with `Content-Encoding`, the compressed
 * file's length, and `Vary: Accept-Encoding` on every answer for such a file.
 */
export class Assets {
  readonly #root: string | undefined;

  constructor(dir: string | undefined) {
    this.#root = dir !== undefined && existsSync(dir) ? realpathSync(dir) : undefined;
  }

  /** Whether there is a UI to serve (`index.html` in the folder). */
  get hasIndex(): boolean {
    return this.#root !== undefined && existsSync(join(this.#root, 'index.html'));
  }

  /** Serves one file; `segments` are the decoded path segments under the folder. */
  async serve(req: IncomingMessage, res: ServerResponse, segments: readonly string[]): Promise<void> {
    const root = this.#root;
    if (root === undefined) throw notFound();
    if (segments.length === 0 || segments.some((s) => s === '' || s === '.' || s === '..' || /[/\\\0]/.test(s))) throw notFound();
    let file: string;
    try {
      file = await realpath(join(root, ...segments));
    } catch {
      throw notFound();
    }
    if (!file.startsWith(root + sep)) throw notFound();
    const info = await stat(file).catch(() => undefined);
    if (info === undefined || !info.isFile()) throw notFound();
    const name = segments.at(-1)!;
    const ext = extname(name).toLowerCase();
    // Built files carry a content hash in their names; they never change.
    const hashed = /[.-][A-Za-z0-9_-]{8,}\.(js|css|woff2|svg|png)$/.test(name);
    let body = file;
    let size = info.size;
    let coding: ContentCoding = 'identity';
    const compressible = COMPRESSIBLE.has(ext);
    if (compressible) {
      const copies = new Map<ContentCoding, { path: string; size: number }>();
      for (const c of ['br', 'gzip'] as const) {
        const copy = await precompressed(root, file, SUFFIX[c]);
        if (copy !== undefined) copies.set(c, copy);
      }
      coding = negotiateEncoding(req.headers['accept-encoding'], [...copies.keys()]);
      const chosen = copies.get(coding);
      if (chosen !== undefined) ({ path: body, size } = chosen);
    }
    res.writeHead(200, {
      'content-type': TYPES[ext] ?? 'application/octet-stream',
      'content-length': String(size),
      'cache-control': hashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      'x-content-type-options': 'nosniff',
      ...(coding !== 'identity' ? { 'content-encoding': coding } : {}),
      ...(compressible ? { vary: 'Accept-Encoding' } : {}),
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    await new Promise<void>((resolve) => {
      const stream = createReadStream(body);
      stream.on('error', () => {
        res.destroy();
        resolve();
      });
      res.on('close', resolve);
      stream.pipe(res);
    });
  }
}

/** `file` + `suffix` when it is a regular file inside `root` (links followed). */
async function precompressed(root: string, file: string, suffix: string): Promise<{ path: string; size: number } | undefined> {
  try {
    const path = await realpath(file + suffix);
    if (!path.startsWith(root + sep)) return undefined;
    const info = await stat(path);
    return info.isFile() ? { path, size: info.size } : undefined;
  } catch {
    return undefined;
  }
}

function notFound(): HttpError {
  return new HttpError(404, 'NOT_FOUND', 'No such asset');
}
