// The Graphite flush bench in a process of its own: its heap is the flushing
// application's alone, not one the benchmarks before it filled (a major
// collection of their garbage would land inside a round and count as a block).
// Prints the result as one line of JSON.
import { graphiteFlush } from './graphite-flush.js';

process.stdout.write(`${JSON.stringify(await graphiteFlush())}\n`);
