import { defineTopic, intParam } from './define.js';

export const ports = defineTopic({
  name: 'ports',
  every: 4000,
  read: (ctx, params) => ctx.observer.ports({ full: params.full === 'true', limit: intParam(params, 'limit', 1000, 1, 100_000) }),
});
