export interface HeapSpace {
  name: string;
  size: number;
  used: number;
  available: number;
  physical: number;
}

/** Everything the Memory page shows, in bytes. */
export interface MemoryInfo {
  spaces: HeapSpace[];
  heap: {
    totalHeapSize: number;
    totalHeapSizeExecutable: number;
    totalPhysicalSize: number;
    totalAvailableSize: number;
    usedHeapSize: number;
    heapSizeLimit: number;
    mallocedMemory: number;
    peakMallocedMemory: number;
    numberOfNativeContexts: number;
    numberOfDetachedContexts: number;
    totalGlobalHandlesSize: number;
    usedGlobalHandlesSize: number;
    externalMemory: number;
  };
  /** V8 walks the whole heap for these, so they are read at most once a minute; `collectedAt` says when. */
  code: { codeAndMetadataSize: number; bytecodeAndMetadataSize: number; externalScriptSourceSize: number; cpuProfilerMetadataSize: number; collectedAt: number };
  process: { rss: number; heapTotal: number; heapUsed: number; external: number; arrayBuffers: number };
  /** Leak hints and limits, in words. */
  warnings: string[];
}
