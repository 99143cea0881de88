import { getHeapSpaceStatistics } from 'node:v8';
import { type RuntimeContext, type RuntimePart, collectorPart } from './part.js';

/** nodejs_heap_space_size_{total,used,available}_bytes{space}, from v8.getHeapSpaceStatistics(). */
export function heapSpaces(ctx: RuntimeContext): RuntimePart {
  const r = ctx.registry;
  const gauge = (kind: string) =>
    r.gauge({
      name: `${ctx.prefix}nodejs_heap_space_size_${kind}_bytes`,
      help: `Process heap space size ${kind} from Node.js in bytes.`,
      labelNames: ['space'],
      unit: 'bytes',
    });
  const total = gauge('total');
  const used = gauge('used');
  const available = gauge('available');
  return collectorPart(ctx, 'heap-spaces', [total, used, available], () => {
    for (const s of getHeapSpaceStatistics()) {
      const space = s.space_name.replace(/_space$/, '');
      total.set({ space }, s.space_size);
      used.set({ space }, s.space_used_size);
      available.set({ space }, s.space_available_size);
    }
  });
}
