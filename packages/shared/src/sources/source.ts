import type { EtcdStatus, LogEvent, LogSummary, Problem, Series } from '../schema/index.ts';

/** Unix seconds; `step` is the resolution asked of range data. */
export interface SourceWindow {
  readonly start: number;
  readonly end: number;
  readonly step: number;
  /**
   * A collector's tick: the sample at `start` was read by the previous tick, so range data starts
   * one step later; whole-window values still cover [start, end].
   */
  readonly continues?: boolean;
}

export interface SourceResult {
  readonly series?: readonly Series[];
  readonly problems: readonly Problem[];
  /** HTTP or gRPC requests sent for this result. */
  readonly requests?: number;
  /** What a metric source really covered (a live source: its first to its last scrape). */
  readonly window?: SourceWindow;
  readonly status?: EtcdStatus | null;
  readonly logEvents?: readonly LogEvent[];
  readonly logs?: LogSummary;
}

export interface SourceCallOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (message: string) => void;
}

export type SourceKind = 'prometheus' | 'direct' | 'etcd-status' | 'logs';

/**
 * One way of reading a cluster. A source is created once per request (or per collector target)
 * and may keep state between collections: the Prometheus client's connections and the member
 * label it found, the direct scraper's running series, so that a collector's tick reads only
 * what is new since the last one. Failures are problems in the result, never exceptions.
 */
export interface MetricSource {
  readonly kind: SourceKind;
  /** What it adds to a snapshot; at most one source provides metrics. */
  readonly provides: 'metrics' | 'status' | 'logs';
  /** Scrapes as time passes: a window ending in the future is waited for. */
  readonly live: boolean;
  collect(window: SourceWindow, opts?: SourceCallOptions): Promise<SourceResult>;
  close(): Promise<void>;
}
