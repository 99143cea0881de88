/** What is running now. */
export interface DiagnosticsState {
  running: null | { kind: 'cpu-profile' | 'heap-profile'; startedAt: number; stopsAt: number };
  /** A profile that stopped by itself at its maximum duration, waiting to be fetched with stop(). */
  finished: null | { kind: 'cpu-profile' | 'heap-profile'; startedAt: number };
}

/** The Diagnostics page: whether actions are on, and what runs now. */
export interface DiagnosticsInfo extends DiagnosticsState {
  enabled: boolean;
}
