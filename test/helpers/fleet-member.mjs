// One node of a large test fleet, as light as a node gets: wobserver from the
// build (dist/, so no tsx in the process), on a free port of loopback, with the
// fleet's secret and no discovery of its own (the node that shows the fleet
// discovers it). Prints its URL and pid. Run `npm run build` first.
import { start } from '../../dist/index.js';

const config = JSON.parse(process.env.FLEET_MEMBER ?? '{}');
const s = await start({ port: 0, nodeName: config.name, nodes: { secret: config.secret } });
console.log(JSON.stringify({ url: s.url, pid: process.pid }));
process.on('SIGTERM', () => void s.close().then(() => process.exit(0)));
