import { defineTopic, tableQuery } from './define.js';

/** The tables, or one page of one table by `name`. */
export const tables = defineTopic({
  name: 'tables',
  item: 'name',
  read: (ctx, params) => (params.name === undefined ? ctx.observer.tables.list() : ctx.observer.tables.page(params.name, tableQuery(params))),
});
