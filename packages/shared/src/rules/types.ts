import type { FindingRole, Severity, Subsystem } from '../schema/index.ts';

/**
 * How a rule turns a signal into one judged value per entity.
 * - `sustained`: the rolling series must stay at or beyond the threshold for `holdFor`
 *   (consecutive samples), so one spike does not page; the value shown is the level held.
 * - `window`: the signal's single whole-window value (an instant catalog metric).
 * - `last`: the latest sample (sizes, gauges).
 * - `max`: the highest sample (counts derived per window).
 */
export type JudgeMode = 'sustained' | 'window' | 'last' | 'max';

export interface Rule {
  /** Stable camelCase id; config overrides and findings refer to it. */
  readonly id: string;
  readonly title: string;
  /** A catalog metric id, or a derived signal id (see signals.ts). */
  readonly signal: string;
  /** Judged instead when `signal` has no data (e.g. the all-peers RTT when per-peer series are absent). */
  readonly fallback?: string;
  /**
   * symptom: etcd's own slowness, unavailability or lack of space; decides the status.
   * risk: something that can cause symptoms (resources, DB size); explains them, never decides.
   */
  readonly role: FindingRole;
  /** member: one finding per member; node: per node; cluster: one finding from the worst entity. */
  readonly scope: 'member' | 'node' | 'cluster';
  readonly subsystem: Subsystem;
  readonly category: string;
  /** "above": fires when value >= threshold; "below": when value <= threshold. */
  readonly direction: 'above' | 'below';
  readonly thresholds: { readonly warning: number; readonly critical: number };
  readonly mode: JudgeMode;
  /** With `sustained`: how long the condition must hold, e.g. "1m". */
  readonly holdFor?: string;
  /** Only judge an entity whose `signal` meets this (e.g. fragmentation only for DBs worth defragmenting). */
  readonly onlyWhen?: { readonly signal: string; readonly atLeast: number; readonly why: string };
  readonly unit: string;
  /** Summary template: {member} {toPeer} {value} {threshold} {severity} {held}. */
  readonly summary: string;
  /** Why the thresholds are where they are, and where they come from. */
  readonly rationale: string;
  readonly recommendations: readonly string[];
  readonly docsUrl?: string;
}

export interface RuleOverride {
  readonly warning?: number;
  readonly critical?: number;
  readonly holdFor?: string;
  readonly enabled?: boolean;
}

export interface AnalysisConfig {
  readonly rules: Readonly<Record<string, RuleOverride>>;
  /** Members that must be present for quorum math when the snapshot cannot tell (e.g. 3). */
  readonly expectedMembers?: number;
}

export const DEFAULT_CONFIG: AnalysisConfig = { rules: {} };

export type { FindingRole, Severity, Subsystem };
