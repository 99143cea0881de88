// A process with about 50 MB of heap in objects of a few kinds (records with
// strings and arrays, a Map, closures), which writes a heap snapshot of itself
// to the path it is given and exits. Prints {"heapUsed", "path"}.
import { writeHeapSnapshot } from 'node:v8';

class OrderLine {
  constructor(
    readonly sku: string,
    readonly qty: number,
    readonly price: number,
  ) {}
}
class Order {
  readonly lines: OrderLine[];
  constructor(
    readonly id: number,
    readonly customer: string,
  ) {
    this.lines = [new OrderLine(`sku-${id % 5000}`, id % 7, (id % 100) * 1.25), new OrderLine(`sku-${(id * 7) % 5000}`, 1, 9.99)];
  }
}
const target = Number(process.env.HEAP_MB ?? 50) * 1024 * 1024;
const orders: Order[] = [];
const byCustomer = new Map<string, Order[]>();
const handlers: Array<() => number> = [];
for (let i = 0; process.memoryUsage().heapUsed < target; i++) {
  const o = new Order(i, `customer-${i % 20_000}`);
  orders.push(o);
  const list = byCustomer.get(o.customer) ?? [];
  list.push(o);
  byCustomer.set(o.customer, list);
  if (i % 10 === 0) handlers.push(() => o.id);
}
const path = writeHeapSnapshot(process.argv[2]);
console.log(JSON.stringify({ heapUsed: process.memoryUsage().heapUsed, path, orders: orders.length, handlers: handlers.length }));
