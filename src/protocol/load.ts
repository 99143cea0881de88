/** The series of the Load page, in the order the runtime's `LOAD_SERIES` lists them. */
export type LoadSeriesName =
  | 'cpuUserPercent'
  | 'cpuSystemPercent'
  | 'eventLoopUtilization'
  | 'delayP50Ms'
  | 'delayP99Ms'
  | 'delayMaxMs'
  | 'rss'
  | 'heapUsed'
  | 'heapTotal'
  | 'external'
  | 'gcCount'
  | 'gcPauseMs'
  | 'gcMajorMs'
  | 'gcMinorMs'
  | 'gcIncrementalMs'
  | 'gcWeakcbMs'
  | 'activeResources'
  | 'bytesReadPerSec'
  | 'bytesWrittenPerSec';

/** Chart-ready columns: timestamps (ms since the epoch), then one array per series, oldest first. */
export interface LoadColumns {
  interval: number;
  timestamps: number[];
  series: Record<LoadSeriesName, number[]>;
}

export type LoadSample = { timestamp: number } & Record<LoadSeriesName, number>;
