import { defineTopic, numParam } from './define.js';

/** The load charts: on this node pushed by the sampler at its own rate (columns, then what is newer); the sampler runs while read. */
export const load = defineTopic({
  name: 'load',
  every: ({ ctx }) => ctx.observer.load.interval,
  lease: (o) => o.load.subscribe(),
  sampler: (o) => o.load,
  read: (ctx, params) => ctx.observer.load.columns(numParam(params, 'since')),
});
