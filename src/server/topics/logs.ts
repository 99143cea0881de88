import { LOG_LEVELS } from '../../runtime/index.js';
import { HttpError } from '../http-error.js';
import { defineTopic, intParam, numParam } from './define.js';

/** The Logs page: captured lines after `since`, at `level` or above, holding `search` (runtime/logs). Pushed every second for a live tail. */
export const logs = defineTopic({
  name: 'logs',
  every: 1000,
  read: (ctx, params) => {
    const level = params.level;
    if (level !== undefined && !(LOG_LEVELS as readonly string[]).includes(level)) {
      throw new HttpError(400, 'BAD_PARAMETER', `level must be one of ${LOG_LEVELS.join(', ')}, got "${level.slice(0, 40)}"`);
    }
    const since = numParam(params, 'since');
    return ctx.observer.logs.since(since, {
      level: level as (typeof LOG_LEVELS)[number] | undefined,
      search: params.search === undefined || params.search === '' ? undefined : params.search.slice(0, 200),
      limit: intParam(params, 'limit', 200, 1, 1000),
    });
  },
});
