import { readFileSync, realpathSync, statSync } from 'node:fs';
import { Session } from 'node:inspector';
import { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProcessesInfo } from './processes.js';
import type { PackageInfo, UnitNode, ApplicationsInfo } from '../protocol/index.js';
export type { PackageInfo, UnitNode, ApplicationsInfo } from '../protocol/index.js';

interface PackageJson {
  name?: string;
  version?: string;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

/**
 * The Applications page: the packages this process has loaded, CommonJS and
 * ESM alike, as a dependency diagram rooted at the application, and the tree
 * of execution units. The loaded modules are every script V8 has parsed,
 * which a short in-process inspector session replays (no loader hook, so it
 * sees what was loaded before wobserver too); the result is reused for a few
 * seconds, and file sizes and package.json files are read once each.
 */
export class Applications {
  readonly #ttlMs: number;
  #cache: { at: number; files: string[] } | undefined;
  #sizes = new Map<string, number>();
  #packageOf = new Map<string, string | null>();
  #manifests = new Map<string, PackageJson>();
  #real = new Map<string, string | null>();

  constructor(options: { ttlMs?: number } = {}) {
    this.#ttlMs = options.ttlMs ?? 5000;
  }

  info(units: ProcessesInfo, options: { refresh?: boolean } = {}): ApplicationsInfo {
    const now = Date.now();
    if (this.#cache === undefined || options.refresh === true || now - this.#cache.at > this.#ttlMs) {
      this.#cache = { at: now, files: loadedFiles() };
    }
    const byPackage = new Map<string, { modules: number; bytes: number }>();
    let loose = 0;
    for (const file of this.#cache.files) {
      const pkg = this.#findPackage(dirname(file));
      if (pkg === null) {
        loose++;
        continue;
      }
      const entry = byPackage.get(pkg) ?? { modules: 0, bytes: 0 };
      entry.modules++;
      entry.bytes += this.#size(file);
      byPackage.set(pkg, entry);
    }
    const entry = process.argv[1];
    const rootDir = (entry !== undefined && this.#findPackage(dirname(entry))) || this.#findPackage(process.cwd()) || process.cwd();
    if (!byPackage.has(rootDir)) byPackage.set(rootDir, { modules: 0, bytes: 0 });
    const idOf = new Map<string, string>();
    for (const path of byPackage.keys()) {
      const m = this.#manifest(path);
      idOf.set(path, m.name !== undefined ? `${m.name}@${m.version ?? '0.0.0'}` : path);
    }
    // One package per name@version, however many folders it is installed at.
    const byId = new Map<string, PackageInfo>();
    for (const [path, counts] of byPackage) {
      const m = this.#manifest(path);
      const id = idOf.get(path)!;
      let p = byId.get(id);
      if (p === undefined) {
        p = { id, name: m.name ?? path.split(sep).pop() ?? path, version: m.version ?? '', path, paths: [], modules: 0, bytes: 0, dependencies: [] };
        byId.set(id, p);
      }
      p.paths.push(path);
      p.modules += counts.modules;
      p.bytes += counts.bytes;
      for (const name of Object.keys({ ...m.dependencies, ...m.optionalDependencies, ...m.peerDependencies })) {
        const target = resolvePackage(path, name, byPackage, (p) => this.#realpath(p));
        const to = target === undefined ? undefined : idOf.get(target)!;
        if (to !== undefined && to !== id && !p.dependencies.includes(to)) p.dependencies.push(to);
      }
    }
    const packages = [...byId.values()];
    const edges: [string, string][] = [];
    for (const p of packages) {
      p.paths.sort();
      p.path = p.paths[0]!;
      for (const d of p.dependencies) edges.push([p.id, d]);
    }
    const rootId = idOf.get(rootDir)!;
    packages.sort((a, b) => (a.id === rootId ? -1 : b.id === rootId ? 1 : a.name.localeCompare(b.name)));
    return { root: rootId, packages, edges, looseModules: loose, units: unitTree(units), collectedAt: this.#cache.at };
  }

  #findPackage(dir: string): string | null {
    const known = this.#packageOf.get(dir);
    if (known !== undefined) return known;
    let found: string | null = null;
    try {
      statSync(join(dir, 'package.json'));
      const m = this.#manifest(dir);
      // A package.json with neither name nor version (a "type": "module" marker) is not a package.
      found = m.name !== undefined || m.version !== undefined ? dir : null;
    } catch {
      found = null;
    }
    if (found === null) {
      const parent = dirname(dir);
      found = parent === dir || dir.endsWith(`${sep}node_modules`) ? null : this.#findPackage(parent);
    }
    this.#packageOf.set(dir, found);
    return found;
  }

  #manifest(dir: string): PackageJson {
    let m = this.#manifests.get(dir);
    if (m === undefined) {
      try {
        m = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as PackageJson;
      } catch {
        m = {};
      }
      this.#manifests.set(dir, m);
    }
    return m;
  }

  /** The folder a symlinked path leads to (pnpm's node_modules, a linked worktree), or null where nothing is. */
  #realpath(path: string): string | null {
    let r = this.#real.get(path);
    if (r === undefined) {
      try {
        r = realpathSync(path);
      } catch {
        r = null;
      }
      this.#real.set(path, r);
    }
    return r;
  }

  #size(file: string): number {
    let n = this.#sizes.get(file);
    if (n === undefined) {
      try {
        n = statSync(file).size;
      } catch {
        n = 0;
      }
      this.#sizes.set(file, n);
    }
    return n;
  }
}

/**
 * Where Node would find `name` from the package at `from`: the nearest
 * node_modules/<name> that is loaded, as is or where its symlink leads (the
 * loaded files are real paths: pnpm, `npm link`, a linked node_modules).
 */
function resolvePackage(from: string, name: string, loaded: Map<string, unknown>, realpath: (path: string) => string | null): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (loaded.has(candidate)) return candidate;
    const real = realpath(candidate);
    if (real !== null && loaded.has(real)) return real;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

/** Files of every script V8 has parsed in this isolate, CommonJS and ESM, without Node's own. */
function loadedFiles(): string[] {
  const files = new Set<string>();
  let session: Session | undefined;
  try {
    session = new Session();
    session.connect();
    session.on('Debugger.scriptParsed', (m) => {
      const url = (m.params as { url: string }).url;
      if (url.startsWith('file://')) files.add(fileURLToPath(url));
      else if (url.startsWith(sep)) files.add(url);
    });
    // Enabling the debugger replays every parsed script synchronously; disable at once.
    session.post('Debugger.enable', () => undefined);
    session.post('Debugger.disable', () => undefined);
  } catch {
    // No inspector in this build: CommonJS modules are still known to require.cache.
  } finally {
    session?.disconnect();
  }
  for (const file of Object.keys(createRequire(import.meta.url).cache)) files.add(file);
  return [...files];
}

function unitTree(p: ProcessesInfo): UnitNode {
  return {
    id: 'main',
    kind: 'main',
    label: `main thread (pid ${p.main.pid})`,
    children: [
      ...p.workers.map((w) => ({ id: w.id, kind: 'worker' as const, label: `worker thread ${w.threadId}`, children: [] })),
      ...p.clusterWorkers.map((w) => ({ id: w.id, kind: 'cluster-worker' as const, label: `cluster worker ${w.workerId} (pid ${w.pid ?? '?'})`, children: [] })),
      ...p.children.filter((c) => c.running).map((c) => ({ id: c.id, kind: 'child' as const, label: `${c.command[0] ?? 'child'} (pid ${c.pid ?? '?'})`, children: [] })),
    ],
  };
}
