import { defineTopic } from './define.js';

export const about = defineTopic({
  name: 'about',
  every: 0,
  read: (ctx) => ({ name: 'wobserver', version: ctx.version, node: ctx.nodeName, prefix: ctx.prefix, diagnostics: ctx.diagnostics, pid: process.pid }) as const,
});
