import { WobserverError } from './errors.js';
/** Why a collector's value was skipped. */
export type CollectFailure = 'throw' | 'timeout' | 'invalid';

/** A collector's failure, as `onError` receives it. Background work never throws into the host. */
export interface CollectError {
  readonly collector: string;
  readonly reason: CollectFailure;
  readonly error?: unknown;
}

/** Thrown by a collector whose function returned something that is not a usable number. */
export class InvalidCollectedValue extends WobserverError {
  declare readonly code: 'INVALID_COLLECTED_VALUE';
  constructor(message: string) {
    super('INVALID_COLLECTED_VALUE', message);
  }
}

/** Something that sets metric values when the registry is read (scrape) and when an interval closes. */
export interface Collector {
  /** Names the collector in errors and in `wobserver_collect_errors_total`. */
  readonly name: string;
  /** Sets the values of the metrics it owns; may be async. */
  collect(): void | Promise<void>;
  /** Milliseconds a run may take before its values are skipped. Default: the registry's `collectTimeout`. */
  readonly timeout?: number;
}

const TIMEOUT = Symbol('timeout');

/**
 * Runs one collector at a time, isolated: a throw, a rejection, an invalid
 * value or a run past the timeout is reported and skipped. Callers that come
 * while a run is in flight share it (one sample for every reader), so a hung
 * function is never started twice.
 */
export class CollectorRun {
  readonly collector: Collector;
  #inflight: Promise<void> | undefined;

  constructor(collector: Collector) {
    this.collector = collector;
  }

  async run(timeout: number, report: (failure: CollectFailure, error?: unknown) => void): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    try {
      const inflight = (this.#inflight ??= this.#start());
      const expired = new Promise<typeof TIMEOUT>((resolve) => {
        // Kept referenced: whoever awaits this run must get an answer, even if
        // the hung function is the only thing left; it holds the loop at most `timeout`.
        timer = setTimeout(resolve, this.collector.timeout ?? timeout, TIMEOUT);
      });
      if ((await Promise.race([inflight, expired])) === TIMEOUT) report('timeout');
    } catch (err) {
      report(err instanceof InvalidCollectedValue ? 'invalid' : 'throw', err);
    } finally {
      clearTimeout(timer);
    }
  }

  #start(): Promise<void> {
    const p = (async () => this.collector.collect())();
    const done = (): void => {
      if (this.#inflight === p) this.#inflight = undefined;
    };
    p.then(done, done);
    return p;
  }
}
