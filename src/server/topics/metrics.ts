import { jsonFamily } from '../../exporters/json/index.js';
import { defineTopic } from './define.js';

/** The registry, as /metrics?format=json has it; `search` keeps the families whose name contains it. */
export const metrics = defineTopic({
  name: 'metrics',
  read: async (ctx, params) => {
    const snapshot = await ctx.registry.collect();
    const search = params.search?.toLowerCase();
    const families = snapshot.families.filter((f) => search === undefined || f.name.toLowerCase().includes(search));
    return { timestamp: snapshot.timestamp, families: families.map(jsonFamily) };
  },
});
