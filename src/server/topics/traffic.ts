import { defineTopic } from './define.js';

/** The Traffic page: HTTP served per route and made per host (runtime/traffic); `method` and `route` ask for that route's history too. */
export const traffic = defineTopic({
  name: 'traffic',
  read: (ctx, params) => ctx.observer.traffic.info({ method: params.method?.slice(0, 32), route: params.route?.slice(0, 1024) }),
});
