import { WobserverError } from '../metrics/errors.js';
import type { FleetMemorySource, FleetSummary } from '../protocol/index.js';

/** Why a node's Fleet summary was not taken: the first thing found wrong. */
export class FleetAnswerInvalid extends WobserverError {
  declare readonly code: 'FLEET_ANSWER_INVALID';
  constructor(message: string) {
    super('FLEET_ANSWER_INVALID', message);
  }
}

const SOURCES: readonly FleetMemorySource[] = ['cgroup v2', 'cgroup v1', 'os'];
const VERSION = /^v\d{1,4}\.\d{1,4}\.\d{1,4}[0-9A-Za-z.+-]{0,40}$/;
const MAX_BYTES = 2 ** 53;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A value quoted in a message: never more than 40 characters of what another node sent. */
const quote = (v: unknown): string => JSON.stringify(String(v).slice(0, 40));

function fail(message: string): never {
  throw new FleetAnswerInvalid(message);
}

function finite(o: Record<string, unknown>, key: string, min: number, max: number): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isFinite(v) || v < min || v > max) fail(`${key} is not a number from ${min} to ${max}: ${quote(v)}`);
  return v;
}

function whole(o: Record<string, unknown>, key: string, min: number, max: number): number {
  const v = finite(o, key, min, max);
  if (!Number.isInteger(v)) fail(`${key} is not a whole number: ${quote(v)}`);
  return v;
}

function rate(o: Record<string, unknown>, key: string, max: number): number | null {
  return o[key] === null ? null : finite(o, key, 0, max);
}

/**
 * Checks another node's `/api/fleet/<name>` answer as if an attacker typed it:
 * an object that names the node it was asked of, finite numbers in their
 * ranges (whole ones where they count things), a Node.js version of the
 * usual shape, a known memory source. Returns a summary rebuilt from the
 * checked fields only (nothing else of the answer is kept); throws
 * FleetAnswerInvalid (`FLEET_ANSWER_INVALID`) at the first problem, quoting at
 * most 40 characters of what was sent.
 */
export function validateSummary(body: unknown, expectedName: string): FleetSummary {
  if (!isObject(body)) fail('the answer is not an object');
  if (body.node !== expectedName) fail(`it says it is ${quote(body.node)}, not ${quote(expectedName)}`);
  const nodeVersion = body.nodeVersion;
  if (typeof nodeVersion !== 'string' || !VERSION.test(nodeVersion)) fail(`nodeVersion is not a Node.js version: ${quote(nodeVersion)}`);
  const memorySource = body.memorySource;
  if (!SOURCES.includes(memorySource as FleetMemorySource)) fail(`memorySource is not one of ${SOURCES.join(', ')}: ${quote(memorySource)}`);
  return {
    node: expectedName,
    pid: whole(body, 'pid', 1, 2 ** 31),
    nodeVersion,
    uptimeSeconds: finite(body, 'uptimeSeconds', 0, 1e10),
    // Cores: a machine has at most a few thousand.
    cpu: rate(body, 'cpu', 10_000),
    eventLoopUtilization: rate(body, 'eventLoopUtilization', 1),
    delayP99Ms: rate(body, 'delayP99Ms', 1e9),
    rss: finite(body, 'rss', 0, MAX_BYTES),
    memoryLimit: finite(body, 'memoryLimit', 0, MAX_BYTES),
    memorySource: memorySource as FleetMemorySource,
    heapUsed: finite(body, 'heapUsed', 0, MAX_BYTES),
    heapSizeLimit: finite(body, 'heapSizeLimit', 0, MAX_BYTES),
    requestsInFlight: whole(body, 'requestsInFlight', 0, 1e9),
  };
}
