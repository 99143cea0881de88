import type { Discovery } from '../types.js';

/** Only this process (the default). */
export const noDiscovery: Discovery = { kind: 'none', discover: async () => [] };
