import { defineTopic } from './define.js';

/**
 * Whether diagnostics actions are on, what runs now, the threads one can
 * profile, the ring of recent profiles and the triggers; the actions
 * themselves are POSTs below it, a kept profile a GET (api.ts). With
 * diagnostics off no worker thread is attached to list it: only the main thread.
 */
export const diagnostics = defineTopic({
  name: 'diagnostics',
  read: async (ctx) => {
    const d = ctx.observer.diagnostics;
    return { enabled: ctx.diagnostics, ...(await d.info({ threads: ctx.diagnostics })) };
  },
});
