// Many nodes, one window: discovery, signed requests between nodes, aggregation.
export type { Discovery, NodeAddress, NodeState } from './types.js';
export { hostPort, baseUrl } from './types.js';
export { noDiscovery } from './discovery/none.js';
export { staticDiscovery, parseNode } from './discovery/static.js';
export { dnsDiscovery, type DnsDiscoveryOptions } from './discovery/dns.js';
export { customDiscovery } from './discovery/custom.js';
export { DISCOVERY_METHODS, DISCOVERY_NAMES, CONFIGURABLE_DISCOVERY, discoveryList, isDiscoveryName, type DiscoveryMethod, type DiscoveryName, type DiscoverySettings } from './discovery/index.js';
export { NodeDirectory, type DirectoryOptions } from './directory.js';
export { NodeClient, NodeRequestError, JSON_TYPE, type NodeAnswer, type NodeClientOptions } from './client.js';
export { Verifier, sign, signAnswers, answerSignature, answerHead, verifyAnswer, SIGNATURE_HEADERS, SIGNED_ANSWER_HEADERS, type Verdict, type VerifierOptions } from './signing.js';
export { aggregate, exportedLabel, type JsonFamily, type JsonSeries, type NodeMetricsAnswer } from './aggregate.js';
export { validateAnswer, InvalidAnswer, ANSWER_LIMITS } from './validate.js';
export { clusterDiscovery, clusterLink, isAgentMessage, type AgentMessage, type AgentRequest } from './cluster.js';
export { FleetFanout, type FleetFanoutOptions } from './fleet.js';
export { validateSummary, FleetAnswerInvalid } from './fleet-validate.js';
