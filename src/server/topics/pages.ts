import { defineTopic } from './define.js';

/** The custom pages, or one page's result by `command`; a page refreshes at its own rate on the node that has it. */
export const pages = defineTopic({
  name: 'pages',
  item: 'command',
  every: ({ params, local, ctx }) => {
    if (!local || params.command === undefined) return undefined;
    const refresh = ctx.observer.pages.list().find((p) => p.command === params.command)?.refresh;
    return refresh === undefined ? undefined : refresh * 1000;
  },
  read: (ctx, params) => (params.command === undefined ? ctx.observer.pages.list() : ctx.observer.pages.run(params.command)),
});
