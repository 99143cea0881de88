import { HttpError } from '../http-error.js';
import { defineTopic } from './define.js';

/**
 * Every node at once, from one shared fan-out (answered here, whichever node is
 * looked at); `/api/fleet/<this node's name>` is this node's own summary, what
 * the fan-out asks each node.
 */
export const fleet = defineTopic({
  name: 'fleet',
  item: 'node',
  every: 2000,
  here: true,
  read: (ctx, params) => {
    if (params.node === undefined) return ctx.fleet.read();
    if (params.node === ctx.nodeName || params.node === 'local') return ctx.fleetSummary();
    throw new HttpError(404, 'NODE_NOT_FOUND', `This node is "${ctx.nodeName}": /api/fleet/<name> answers only for this node's own name (/api/fleet has every node)`);
  },
});
