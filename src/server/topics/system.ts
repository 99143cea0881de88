import { defineTopic } from './define.js';

export const system = defineTopic({ name: 'system', read: (ctx) => ctx.observer.system() });
