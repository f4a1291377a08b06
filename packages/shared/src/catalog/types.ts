import type { Expr, Scope } from './expr.ts';

export type Category =
  | 'membership'
  | 'consensus'
  | 'walFsync'
  | 'backendCommit'
  | 'database'
  | 'compactDefrag'
  | 'network'
  | 'grpc'
  | 'resources'
  | 'diskIo'
  | 'nodeUsage'
  | 'kubernetes';

export type Unit =
  | 'seconds'
  | 'bytes'
  | 'bytesPerSecond'
  | 'perSecond'
  | 'percent'
  | 'ratio'
  | 'count'
  | 'boolean'
  | 'cores';

export interface CatalogMetric {
  /** Stable camelCase id, used by rules, storage and config. */
  readonly id: string;
  readonly category: Category;
  readonly scope: Scope;
  readonly unit: Unit;
  readonly description: string;
  readonly expr: Expr;
  /**
   * Evaluated once at the end of the window (its expression uses the "range" window), e.g. a
   * whole-window p99. Range metrics yield a time series over the window.
   */
  readonly instant?: boolean;
  /**
   * Present only in some environments (cAdvisor, kube-state-metrics, apiserver, extensive
   * etcd metrics): absence is noted as no-data, not reported as a problem.
   */
  readonly optional?: boolean;
  /** The reference system's name for the same signal, where it had one. */
  readonly reference?: string;
}
