// The discovery conformance suite (discovery-suite.ts) for the methods that find nodes
// over HTTP: none, static, custom and dns; cluster discovery runs the same suite in
// discovery-conformance-cluster.test.ts.
import { customDiscovery, dnsDiscovery, noDiscovery, staticDiscovery } from '../../src/nodes/index.js';
import { dnsServer } from '../helpers/dns-server.js';
import { discoveryConformance } from './discovery-suite.js';

discoveryConformance('none', {
  listsOthers: false,
  stopped: 'down',
  source: async () => ({ discovery: noDiscovery, close: () => undefined }),
});

discoveryConformance('static', {
  listsOthers: true,
  stopped: 'down',
  source: async (others) => ({ discovery: staticDiscovery(others), close: () => undefined }),
});

discoveryConformance('custom', {
  listsOthers: true,
  stopped: 'down',
  source: async (others) => {
    let fail = false;
    return {
      discovery: customDiscovery(async () => {
        if (fail) throw new Error('the service registry is down');
        return others;
      }),
      failing: (on) => void (fail = on),
      close: () => undefined,
    };
  },
});

discoveryConformance('dns (SRV, from a DNS server on loopback)', {
  listsOthers: true,
  stopped: 'down',
  source: async (others) => {
    let fail = false;
    // The DNS server gives 127.0.0.1 and the ports; NXDOMAIN while failing.
    const dns = await dnsServer('nodes.wobserver.test', () => (fail ? [] : others.map((o) => Number(o.split(':')[1]))));
    return {
      discovery: dnsDiscovery({ name: 'nodes.wobserver.test', srv: true, servers: [dns.address] }),
      failing: (on) => void (fail = on),
      close: () => dns.close(),
    };
  },
});
