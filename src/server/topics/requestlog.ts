import { LogsError } from '../../runtime/index.js';
import { HttpError } from '../http-error.js';
import { defineTopic } from './define.js';

/**
 * The Request logger page: the requests marked with `token` and what each
 * logged. Each read follows the token for 15 s more, so that requests are
 * watched only while a page polls (every second).
 */
export const requestlog = defineTopic({
  name: 'requestlog',
  every: 1000,
  read: (ctx, params) => {
    const token = params.token;
    if (token === undefined) throw new HttpError(400, 'BAD_PARAMETER', 'token is required: the mark a request carries (A-Z a-z 0-9 . _ ~ -, at most 128)');
    try {
      return ctx.observer.logs.follow(token);
    } catch (err) {
      if (err instanceof LogsError) throw new HttpError(400, 'BAD_PARAMETER', err.message);
      throw err;
    }
  },
});
