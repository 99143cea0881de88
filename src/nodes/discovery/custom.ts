import type { Discovery, NodeAddress } from '../types.js';
import { parseNode } from './static.js';

/** Nodes from a function of the user's (may return a promise; strings are host:port or URLs). */
export function customDiscovery(fn: () => readonly (string | NodeAddress)[] | Promise<readonly (string | NodeAddress)[]>): Discovery {
  return {
    kind: 'custom',
    async discover() {
      const list = await fn();
      return list.map((e) => (typeof e === 'string' ? parseNode(e) : e));
    },
  };
}
