import { defineTopic } from './define.js';

export const memory = defineTopic({ name: 'memory', read: (ctx) => ctx.observer.memory() });
