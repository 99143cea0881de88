import { createSocket } from 'node:dgram';

/**
 * A DNS server of the test's own, on loopback UDP: answers SRV queries for
 * one name with the given ports (target 127.0.0.1), and nothing else.
 */
export async function dnsServer(name: string, ports: () => number[]): Promise<{ address: string; close(): void }> {
  const s = createSocket('udp4');
  s.on('message', (q, from) => {
    // Header (12 bytes), then the question: labels, type, class.
    let i = 12;
    const labels: string[] = [];
    while (q[i] !== 0 && i < q.length) {
      labels.push(q.subarray(i + 1, i + 1 + q[i]!).toString());
      i += q[i]! + 1;
    }
    const qtype = q.readUInt16BE(i + 1);
    const question = q.subarray(12, i + 5);
    const asked = labels.join('.').toLowerCase();
    const answers: Buffer[] = [];
    if (asked === name.toLowerCase() && qtype === 33) {
      for (const port of ports()) {
        const target = Buffer.concat([...'127.0.0.1'.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);
        const rdata = Buffer.alloc(6);
        rdata.writeUInt16BE(0, 0);
        rdata.writeUInt16BE(10, 2);
        rdata.writeUInt16BE(port, 4);
        const rr = Buffer.alloc(12);
        rr.writeUInt16BE(0xc00c, 0); // the name, by a pointer to the question
        rr.writeUInt16BE(33, 2);
        rr.writeUInt16BE(1, 4);
        rr.writeUInt32BE(5, 6);
        rr.writeUInt16BE(rdata.length + target.length, 10);
        answers.push(rr, rdata, target);
      }
    }
    const header = Buffer.alloc(12);
    q.copy(header, 0, 0, 2);
    header.writeUInt16BE(answers.length > 0 ? 0x8180 : 0x8183, 2); // a response; NXDOMAIN when there is nothing
    header.writeUInt16BE(1, 4);
    header.writeUInt16BE(answers.length / 3, 6);
    s.send(Buffer.concat([header, question, ...answers]), from.port, from.address);
  });
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  return { address: `127.0.0.1:${s.address().port}`, close: () => s.close() };
}
