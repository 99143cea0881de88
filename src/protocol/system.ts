/** The memory limit that really applies to this process, and where it comes from. */
export interface MemoryLimit {
  bytes: number;
  source: 'cgroup v2' | 'cgroup v1' | 'os';
}

/** Open file descriptors against their limit (RLIMIT_NOFILE); `null` limits are unlimited. */
export interface OpenFiles {
  open: number;
  soft: number | null;
  hard: number | null;
}

/** Everything the System page shows. All sizes in bytes, times in ms since the epoch or seconds. */
export interface SystemInfo {
  versions: Record<string, string>;
  platform: { os: string; type: string; release: string; arch: string; hostname: string; endianness: string };
  /** `speedMHz` is 0 where the machine does not say (some VMs). */
  cpu: { model: string; count: number; speedMHz: number; availableParallelism: number; threadPoolSize: number };
  /** Limits of the process besides memory: open files from /proc (Linux), `null` elsewhere. */
  limits: { openFiles: OpenFiles | null };
  process: {
    pid: number;
    ppid: number;
    title: string;
    execPath: string;
    argv: string[];
    execArgv: string[];
    cwd: string;
    uptimeSeconds: number;
    startTime: number;
  };
  memory: {
    rss: number;
    heapTotal: number;
    heapUsed: number;
    external: number;
    arrayBuffers: number;
    heapSizeLimit: number;
    limit: MemoryLimit;
    /** rss / limit.bytes */
    usedOfLimit: number;
  };
  activity: {
    activeResources: Record<string, number>;
    activeHandles: Record<string, number>;
    activeRequests: Record<string, number>;
    /** Event-loop utilization since the process started, 0..1. */
    eventLoopUtilization: number;
  };
  os: { loadAverage: [number, number, number]; totalMemory: number; freeMemory: number; uptimeSeconds: number };
  /** Figures near a limit, in words. */
  warnings: string[];
}
