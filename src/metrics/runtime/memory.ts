import { readFileSync } from 'node:fs';
import type { Gauge } from '../gauge.js';
import { type RuntimeContext, type RuntimePart, collectorPart } from './part.js';

/**
 * process_resident_memory_bytes; on Linux process_virtual_memory_bytes and
 * process_heap_bytes (from /proc/self/status); nodejs_heap_size_total_bytes,
 * nodejs_heap_size_used_bytes, nodejs_external_memory_bytes, nodejs_array_buffers_bytes.
 */
export function memory(ctx: RuntimeContext): RuntimePart {
  const r = ctx.registry;
  const p = ctx.prefix;
  const rss = r.gauge({ name: `${p}process_resident_memory_bytes`, help: 'Resident memory size in bytes.', unit: 'bytes' });
  const heapTotal = r.gauge({ name: `${p}nodejs_heap_size_total_bytes`, help: 'Process heap size from Node.js in bytes.', unit: 'bytes' });
  const heapUsed = r.gauge({ name: `${p}nodejs_heap_size_used_bytes`, help: 'Process heap size used from Node.js in bytes.', unit: 'bytes' });
  const external = r.gauge({ name: `${p}nodejs_external_memory_bytes`, help: 'Node.js external memory size in bytes.', unit: 'bytes' });
  const arrayBuffers = r.gauge({
    name: `${p}nodejs_array_buffers_bytes`,
    help: 'Memory allocated for ArrayBuffers and SharedArrayBuffers, in bytes (included in external memory).',
    unit: 'bytes',
  });
  const metrics: Gauge[] = [rss, heapTotal, heapUsed, external, arrayBuffers];
  let virtual: Gauge | undefined;
  let heap: Gauge | undefined;
  if (process.platform === 'linux' && readStatus() !== undefined) {
    virtual = r.gauge({ name: `${p}process_virtual_memory_bytes`, help: 'Virtual memory size in bytes.', unit: 'bytes' });
    heap = r.gauge({ name: `${p}process_heap_bytes`, help: 'Process heap size in bytes.', unit: 'bytes' });
    metrics.push(virtual, heap);
  }
  return collectorPart(ctx, 'memory', metrics, () => {
    const m = process.memoryUsage();
    rss.set(m.rss);
    heapTotal.set(m.heapTotal);
    heapUsed.set(m.heapUsed);
    external.set(m.external);
    arrayBuffers.set(m.arrayBuffers);
    if (virtual !== undefined && heap !== undefined) {
      const status = readStatus();
      if (status?.VmSize !== undefined) virtual.set(status.VmSize);
      if (status?.VmData !== undefined) heap.set(status.VmData);
    }
  });
}

/** VmSize and VmData of /proc/self/status, in bytes; undefined where there is no such file. */
function readStatus(): { VmSize?: number; VmData?: number } | undefined {
  let text: string;
  try {
    text = readFileSync('/proc/self/status', 'utf8');
  } catch {
    return undefined;
  }
  const out: { VmSize?: number; VmData?: number } = {};
  for (const key of ['VmSize', 'VmData'] as const) {
    const m = new RegExp(`^${key}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    if (m !== null) out[key] = Number(m[1]) * 1024;
  }
  return out;
}
