import { readFileSync } from 'node:fs';
import os from 'node:os';
import { performance } from 'node:perf_hooks';
import { getHeapStatistics } from 'node:v8';
import { openFilesNow } from './limits.js';
import type { Redactor } from './redact.js';
import type { MemoryLimit, SystemInfo } from '../protocol/index.js';
export type { MemoryLimit, SystemInfo } from '../protocol/index.js';
import { activeHandles as listHandles, activeRequests as listRequests, handleType } from '../metrics/runtime/active-handles.js';

/** The System page: versions, platform, CPU, the process, memory against its real limit, activity, the OS. */
export function systemInfo(redact: Redactor): SystemInfo {
  const mem = process.memoryUsage();
  const heap = getHeapStatistics();
  const limit = memoryLimit();
  const cpus = os.cpus();
  const usedOfLimit = limit.bytes > 0 ? mem.rss / limit.bytes : 0;
  const activeResources = countBy(process.getActiveResourcesInfo());
  const activeHandles = countBy((listHandles() ?? []).map(handleType));
  const files = openFilesNow().files;
  const warnings: string[] = [];
  if (usedOfLimit >= NEAR) warnings.push(`resident memory is ${(usedOfLimit * 100).toFixed(0)}% of the ${limit.source} limit`);
  if (mem.heapUsed / heap.heap_size_limit >= NEAR) {
    warnings.push(`heap used is ${((mem.heapUsed / heap.heap_size_limit) * 100).toFixed(0)}% of the heap size limit`);
  }
  if (files !== null && files.soft !== null && files.open / files.soft >= NEAR) {
    warnings.push(`${files.open} open file descriptors, ${((files.open / files.soft) * 100).toFixed(0)}% of the limit (ulimit -n ${files.soft})`);
  }
  const handleCount = Object.values(activeResources).reduce((a, b) => a + b, 0);
  if (handleCount > 10_000) warnings.push(`${handleCount} active resources keep the event loop alive`);
  if (heap.number_of_detached_contexts > 0) warnings.push(`${heap.number_of_detached_contexts} detached context(s): a possible memory leak`);
  return {
    versions: Object.fromEntries(Object.entries(process.versions).filter((e): e is [string, string] => typeof e[1] === 'string')),
    platform: {
      os: process.platform,
      type: os.type(),
      release: os.release(),
      arch: process.arch,
      hostname: os.hostname(),
      endianness: os.endianness(),
    },
    cpu: {
      model: cpus[0]?.model.trim() ?? 'unknown',
      count: cpus.length,
      speedMHz: cpus[0]?.speed ?? 0,
      availableParallelism: os.availableParallelism(),
      threadPoolSize: threadPoolSize(),
    },
    limits: { openFiles: files },
    process: {
      pid: process.pid,
      ppid: process.ppid,
      title: redact.text(process.title),
      execPath: process.execPath,
      argv: redact.argv(process.argv),
      execArgv: redact.argv(process.execArgv),
      cwd: process.cwd(),
      uptimeSeconds: process.uptime(),
      startTime: Math.round(performance.timeOrigin),
    },
    memory: {
      rss: mem.rss,
      heapTotal: mem.heapTotal,
      heapUsed: mem.heapUsed,
      external: mem.external,
      arrayBuffers: mem.arrayBuffers,
      heapSizeLimit: heap.heap_size_limit,
      limit,
      usedOfLimit,
    },
    activity: {
      activeResources,
      activeHandles,
      activeRequests: countBy((listRequests() ?? []).map(handleType)),
      eventLoopUtilization: performance.eventLoopUtilization().utilization,
    },
    os: {
      loadAverage: os.loadavg() as [number, number, number],
      totalMemory: os.totalmem(),
      freeMemory: os.freemem(),
      uptimeSeconds: os.uptime(),
    },
    warnings,
  };
}

/** A figure at or past this share of its limit is warned of. */
const NEAR = 0.85;

/** The cgroup memory limit (v2, then v1) when one is set, else the machine's total memory. */
export function memoryLimit(root = '/sys/fs/cgroup'): MemoryLimit {
  const total = os.totalmem();
  const v2 = readNumber(`${root}/memory.max`);
  if (v2 !== undefined && v2 > 0 && v2 < total) return { bytes: v2, source: 'cgroup v2' };
  const v1 = readNumber(`${root}/memory/memory.limit_in_bytes`);
  // v1 reports "no limit" as a huge number (2^63 rounded down to a page).
  if (v1 !== undefined && v1 > 0 && v1 < total) return { bytes: v1, source: 'cgroup v1' };
  return { bytes: total, source: 'os' };
}

function readNumber(path: string): number | undefined {
  try {
    const text = readFileSync(path, 'utf8').trim();
    if (text === 'max') return undefined;
    const n = Number(text);
    return Number.isFinite(n) ? n : undefined;
  } catch {
    return undefined;
  }
}

function threadPoolSize(): number {
  const n = Number(process.env.UV_THREADPOOL_SIZE);
  return Number.isInteger(n) && n > 0 ? Math.min(n, 1024) : 4;
}

export function countBy(types: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const t of types) out[t] = (out[t] ?? 0) + 1;
  return out;
}
