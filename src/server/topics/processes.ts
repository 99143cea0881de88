import { HttpError } from '../http-error.js';
import { defineTopic } from './define.js';

/** The process list, or one row's detail by `id`; requests are tracked while someone reads it. */
export const processes = defineTopic({
  name: 'processes',
  item: 'id',
  every: 4000,
  lease: (o) => o.watchRequests(),
  read: (ctx, params) => {
    if (params.id === undefined) return ctx.observer.processes();
    const detail = ctx.observer.process(params.id);
    if (detail === undefined) throw new HttpError(404, 'PROCESS_NOT_FOUND', `No process "${params.id}" (it may have ended)`);
    return detail;
  },
});
