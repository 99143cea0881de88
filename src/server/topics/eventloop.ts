import { defineTopic } from './define.js';

/** The Event loop page: blocks of every watched thread with their stacks (runtime/watchdog). */
export const eventloop = defineTopic({ name: 'eventloop', read: (ctx) => ctx.observer.eventLoop.info() });
