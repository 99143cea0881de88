import { defineTopic } from './define.js';

/** The nodes discovery found, this one first; answered here, whichever node is looked at. */
export const nodes = defineTopic({
  name: 'nodes',
  every: 5000,
  here: true,
  routes: { prometheus: (ctx) => ctx.prometheusTargets() },
  read: async (ctx) => (await ctx.directory.list()).map((n) => ({ ...n, proxy: ctx.directory.proxying || n.local })),
});
