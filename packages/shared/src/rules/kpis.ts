import type { Finding, Kpi, Report } from '../schema/index.ts';
import { effectiveThresholds } from './evaluate.ts';
import type { SignalTable } from './signals.ts';
import type { AnalysisConfig, Rule } from './types.ts';

interface KpiDef {
  readonly id: string;
  readonly label: string;
  /** First signal with data wins: the whole-window value, else the rolling series. */
  readonly signals: readonly string[];
  readonly stat: 'median' | 'last' | 'max';
  readonly rule?: string;
  /** cluster: one KPI, the worst member. */
  readonly cluster?: boolean;
}

const KPIS: readonly KpiDef[] = [
  { id: 'walFsyncP99', label: 'WAL fsync p99', signals: ['walFsyncP99Window', 'walFsyncP99'], stat: 'median', rule: 'walFsyncLatency' },
  { id: 'backendCommitP99', label: 'Backend commit p99', signals: ['backendCommitP99Window', 'backendCommitP99'], stat: 'median', rule: 'backendCommitLatency' },
  { id: 'peerRttP99', label: 'Peer RTT p99', signals: ['peerRttP99Window', 'peerRttP99'], stat: 'median', rule: 'peerRoundTrip' },
  { id: 'leaderChanges', label: 'Leader changes in window', signals: ['leaderChanges'], stat: 'max', rule: 'leaderChanges', cluster: true },
  { id: 'commitRate', label: 'Commits per second', signals: ['proposalsCommittedRate'], stat: 'median' },
  { id: 'slowApplies', label: 'Slow applies in window', signals: ['slowApplies'], stat: 'last', rule: 'slowApplies' },
  { id: 'dbSize', label: 'DB size', signals: ['dbSize'], stat: 'last', rule: 'dbSize' },
  { id: 'dbQuotaUsed', label: 'DB quota used', signals: ['dbQuotaUsedPercent'], stat: 'last', rule: 'dbQuota' },
  { id: 'dbFragmentation', label: 'DB reclaimable (fragmentation)', signals: ['dbFragmentationPercent'], stat: 'last', rule: 'dbFragmentation' },
  { id: 'etcdCpu', label: 'etcd CPU (100 % = 1 core)', signals: ['processCpuPercent'], stat: 'median', rule: 'etcdCpu' },
  { id: 'etcdMemory', label: 'etcd resident memory', signals: ['processResidentBytes'], stat: 'last' },
  { id: 'nodeCpu', label: 'Node CPU', signals: ['nodeCpuPercent'], stat: 'median', rule: 'nodeCpu' },
  { id: 'nodeIowait', label: 'Node I/O wait', signals: ['nodeIowaitPercent'], stat: 'median', rule: 'nodeIowait' },
];

function stat(points: ReadonlyArray<readonly [number, number]>, s: KpiDef['stat']): number | null {
  if (points.length === 0) return null;
  const v = points.map((p) => p[1]);
  if (s === 'last') return v[v.length - 1] as number;
  if (s === 'max') return Math.max(...v);
  const sorted = [...v].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Key values per member against their targets, with the status of the matching finding. */
export function buildKpis(table: SignalTable, findings: readonly Finding[], rules: readonly Rule[], config: AnalysisConfig, baseline: Report | null): Kpi[] {
  const out: Kpi[] = [];
  for (const def of KPIS) {
    const signal = def.signals.find((s) => (table.get(s)?.size ?? 0) > 0);
    const rule = rules.find((r) => r.id === def.rule);
    const threshold = rule ? effectiveThresholds(rule, config).warning : null;
    if (!signal) {
      out.push({ id: def.id, label: def.label, member: null, value: null, unit: rule?.unit ?? '', threshold, status: 'unknown' });
      continue;
    }
    const rows = [...(table.get(signal)?.values() ?? [])].map((d) => ({ entity: d.entity, unit: d.unit, value: stat(d.points, def.stat) }));
    const chosen = def.cluster ? [rows.reduce((a, b) => ((b.value ?? -Infinity) > (a.value ?? -Infinity) ? b : a))] : rows.sort((a, b) => a.entity.localeCompare(b.entity));
    for (const r of chosen) {
      const member = def.cluster || r.entity === 'cluster' ? null : r.entity;
      const f = findings.find((x) => x.rule === def.rule && (def.cluster || x.member === member));
      const kpi: Kpi = { id: def.id, label: def.label, member, value: r.value, unit: r.unit, threshold, status: f ? f.severity : r.value === null ? 'unknown' : 'healthy' };
      const base = baseline?.kpis.find((k) => k.id === def.id && k.member === member);
      if (baseline) {
        kpi.baseline = base?.value ?? null;
        kpi.change = base?.value != null && r.value !== null && base.value !== 0 ? (r.value - base.value) / Math.abs(base.value) : null;
      }
      out.push(kpi);
    }
  }
  return out;
}
