export interface PackageInfo {
  /** `name@version`, or the path where a package has no name. */
  id: string;
  name: string;
  version: string;
  /** The package's folder (the first of `paths`). */
  path: string;
  /** Every folder this name@version is installed at and loaded from (one package, merged), sorted. */
  paths: string[];
  /** Modules loaded from it (CommonJS and ESM), over all its folders. */
  modules: number;
  /** Their size on disk, in bytes, over all its folders. */
  bytes: number;
  /** Ids of the loaded packages it depends on, by its package.json. */
  dependencies: string[];
}

export interface UnitNode {
  id: string;
  kind: 'main' | 'worker' | 'child' | 'cluster-worker';
  label: string;
  children: UnitNode[];
}

export interface ApplicationsInfo {
  /** The application itself: the package holding the entry module (or the working folder). */
  root: string;
  packages: PackageInfo[];
  /** Dependency edges between loaded packages: [from id, to id], each once. */
  edges: [string, string][];
  /** Modules that belong to no package.json. */
  looseModules: number;
  /** The tree of execution units, rooted at the main thread. */
  units: UnitNode;
  /** When the module list was read (ms since the epoch); it is reused for `ttlMs`. */
  collectedAt: number;
}
