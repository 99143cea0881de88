import { getHeapCodeStatistics, getHeapSpaceStatistics, getHeapStatistics } from 'node:v8';
import type { MemoryInfo } from '../protocol/index.js';
export type { HeapSpace, MemoryInfo } from '../protocol/index.js';

/** The Memory page: V8's heap spaces, heap and code statistics, and the process memory split. */
export function memoryInfo(): MemoryInfo {
  const h = getHeapStatistics();
  const c = codeStatistics();
  const m = process.memoryUsage();
  const warnings = memoryWarnings(h);
  return {
    spaces: getHeapSpaceStatistics().map((s) => ({
      name: s.space_name,
      size: s.space_size,
      used: s.space_used_size,
      available: s.space_available_size,
      physical: s.physical_space_size,
    })),
    heap: {
      totalHeapSize: h.total_heap_size,
      totalHeapSizeExecutable: h.total_heap_size_executable,
      totalPhysicalSize: h.total_physical_size,
      totalAvailableSize: h.total_available_size,
      usedHeapSize: h.used_heap_size,
      heapSizeLimit: h.heap_size_limit,
      mallocedMemory: h.malloced_memory,
      peakMallocedMemory: h.peak_malloced_memory,
      numberOfNativeContexts: h.number_of_native_contexts,
      numberOfDetachedContexts: h.number_of_detached_contexts,
      totalGlobalHandlesSize: h.total_global_handles_size,
      usedGlobalHandlesSize: h.used_global_handles_size,
      externalMemory: h.external_memory,
    },
    code: {
      codeAndMetadataSize: c.code_and_metadata_size ?? 0,
      bytecodeAndMetadataSize: c.bytecode_and_metadata_size ?? 0,
      externalScriptSourceSize: c.external_script_source_size ?? 0,
      cpuProfilerMetadataSize: c.cpu_profiler_metadata_size ?? 0,
      collectedAt: c.at,
    },
    process: { rss: m.rss, heapTotal: m.heapTotal, heapUsed: m.heapUsed, external: m.external, arrayBuffers: m.arrayBuffers },
    warnings,
  };
}

/** What the page warns about, from V8's heap statistics: detached contexts (a leak hint) and a heap near its limit. */
export function memoryWarnings(h: Pick<ReturnType<typeof getHeapStatistics>, 'number_of_detached_contexts' | 'used_heap_size' | 'heap_size_limit'>): string[] {
  const warnings: string[] = [];
  if (h.number_of_detached_contexts > 0) {
    warnings.push(
      `${h.number_of_detached_contexts} detached context(s): a context that was discarded is still referenced, a common memory leak`,
    );
  }
  if (h.used_heap_size / h.heap_size_limit > 0.85) {
    warnings.push(`heap used is ${((h.used_heap_size / h.heap_size_limit) * 100).toFixed(0)}% of the heap size limit`);
  }
  return warnings;
}

const CODE_TTL_MS = 60_000;
let codeCache: (Record<string, number> & { at: number }) | undefined;

/** getHeapCodeStatistics() walks the heap (14 ms with a million objects): reuse it for a minute. */
function codeStatistics(): Record<string, number> & { at: number } {
  const now = Date.now();
  if (codeCache === undefined || now - codeCache.at > CODE_TTL_MS) {
    codeCache = { ...(getHeapCodeStatistics() as unknown as Record<string, number>), at: now };
  }
  return codeCache;
}
