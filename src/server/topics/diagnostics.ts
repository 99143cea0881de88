import { defineTopic } from './define.js';

/** Whether diagnostics actions are on and what runs now; the actions themselves are POSTs below it (api.ts). */
export const diagnostics = defineTopic({ name: 'diagnostics', read: (ctx) => ({
    enabled: ctx.diagnostics,
    ...ctx.observer.diagnostics.state(),
    threads: [{ id: 0, name: 'main' }],
    profiles: [],
    profileRing: 0,
    triggers: { elu: null, block: null, minIntervalMs: 0 },
  }) });
