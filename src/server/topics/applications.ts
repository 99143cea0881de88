import { defineTopic } from './define.js';

export const applications = defineTopic({
  name: 'applications',
  every: 10_000,
  read: (ctx, params) => ctx.observer.applications({ refresh: params.refresh === 'true' }),
});
