import type { Gauge } from '../gauge.js';
import { type RuntimeContext, type RuntimePart, collectorPart } from './part.js';

import { activeHandles, activeRequests, handleType } from './active-handles.js';

/**
 * nodejs_active_handles{type}, nodejs_active_requests{type} (libuv handles
 * and requests by class, as prom-client reports them) and
 * nodejs_active_resources{type} (process.getActiveResourcesInfo()). Types
 * that are gone are removed, so no stale count lingers. prom-client's
 * `*_total` gauges are left out: no gauge ends in `_total`, and sum() gives them.
 */
export function resources(ctx: RuntimeContext): RuntimePart {
  const r = ctx.registry;
  const handles = r.gauge({
    name: `${ctx.prefix}nodejs_active_handles`,
    help: 'Number of active libuv handles grouped by handle type. Every handle type is C++ class name.',
    labelNames: ['type'],
  });
  const requests = r.gauge({
    name: `${ctx.prefix}nodejs_active_requests`,
    help: 'Number of active libuv requests grouped by request type. Every request type is C++ class name.',
    labelNames: ['type'],
  });
  const active = r.gauge({
    name: `${ctx.prefix}nodejs_active_resources`,
    help: 'Number of active resources that are currently keeping the event loop alive, grouped by async resource type.',
    labelNames: ['type'],
  });
  return collectorPart(ctx, 'resources', [handles, requests, active], () => {
    const h = activeHandles();
    if (h !== undefined) replace(handles, countBy(h.map(handleType)));
    const q = activeRequests();
    if (q !== undefined) replace(requests, countBy(q.map(handleType)));
    replace(active, countBy(process.getActiveResourcesInfo()));
  });
}

function countBy(types: string[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of types) out.set(t, (out.get(t) ?? 0) + 1);
  return out;
}

/** Sets each type's count and removes the types no longer present. */
function replace(g: Gauge, counts: Map<string, number>): void {
  for (const { type } of g.series()) if (type !== undefined && !counts.has(type)) g.remove({ type });
  for (const [type, n] of counts) g.set({ type }, n);
}
