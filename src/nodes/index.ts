// Many nodes, one window: discovery, signed requests between nodes, aggregation.
export type { Discovery, NodeAddress, NodeState } from './types.js';
export { hostPort, baseUrl } from './types.js';
export { noDiscovery } from './discovery/none.js';
export { staticDiscovery, parseNode } from './discovery/static.js';
export { dnsDiscovery, type DnsDiscoveryOptions } from './discovery/dns.js';
export { customDiscovery } from './discovery/custom.js';
export { NodeDirectory, type DirectoryOptions } from './directory.js';
export { NodeClient, NodeRequestError } from './client.js';
export { Verifier, sign, SIGNATURE_HEADERS } from './signing.js';
export { aggregate, type JsonFamily } from './aggregate.js';
export { clusterDiscovery, clusterLink, isAgentMessage, type AgentMessage } from './cluster.js';
