import type { Finding, Kpi, Report } from '../schema/index.ts';
import { effectiveThresholds } from './evaluate.ts';
import type { SignalTable } from './signals.ts';
import type { AnalysisConfig, Rule } from './types.ts';

interface KpiDef {
  readonly id: string;
  readonly label: string;
  /** The rolling series first (its latest value is shown), then a whole-window signal. */
  readonly signals: readonly string[];
  readonly rule?: string;
  /** cluster: one KPI, the worst member. */
  readonly cluster?: boolean;
}

const KPIS: readonly KpiDef[] = [
  { id: 'walFsyncP99', label: 'WAL fsync p99', signals: ['walFsyncP99', 'walFsyncP99Window'], rule: 'walFsyncLatency' },
  { id: 'backendCommitP99', label: 'Backend commit p99', signals: ['backendCommitP99', 'backendCommitP99Window'], rule: 'backendCommitLatency' },
  { id: 'peerRttP99', label: 'Peer RTT p99', signals: ['peerRttP99', 'peerRttP99Window'], rule: 'peerRoundTrip' },
  { id: 'leaderChanges', label: 'Leader changes in window', signals: ['leaderChanges'], rule: 'leaderChanges', cluster: true },
  { id: 'commitRate', label: 'Commits per second', signals: ['proposalsCommittedRate'] },
  { id: 'slowApplies', label: 'Slow applies in window', signals: ['slowApplies'], rule: 'slowApplies' },
  { id: 'dbSize', label: 'DB size', signals: ['dbSize'], rule: 'dbSize' },
  { id: 'dbQuotaUsed', label: 'DB quota used', signals: ['dbQuotaUsedPercent'], rule: 'dbQuota' },
  { id: 'dbFragmentation', label: 'DB reclaimable (fragmentation)', signals: ['dbFragmentationPercent'], rule: 'dbFragmentation' },
  { id: 'etcdCpu', label: 'etcd CPU (100 % = 1 core)', signals: ['processCpuPercent'], rule: 'etcdCpu' },
  { id: 'etcdMemory', label: 'etcd resident memory', signals: ['processResidentBytes'] },
  { id: 'nodeCpu', label: 'Node CPU', signals: ['nodeCpuPercent'], rule: 'nodeCpu' },
  { id: 'nodeIowait', label: 'Node I/O wait', signals: ['nodeIowaitPercent'], rule: 'nodeIowait' },
];

const latest = (points: ReadonlyArray<readonly [number, number]>): number | null => (points.length ? (points[points.length - 1] as readonly [number, number])[1] : null);

/** The worst finding of a rule for a member (per-peer findings roll up to their member). */
function findingFor(all: readonly Finding[], rule: string | undefined, member: string | null, cluster: boolean): Finding | undefined {
  const own = all.filter((f) => f.rule === rule && (cluster || f.member === member));
  return own.find((f) => f.severity === 'critical') ?? own[0];
}

/**
 * Key values per member against their targets: the latest value, and beside it the value the
 * finding judged (the level held, the peak), so a row never shows a calm latest value next to a
 * warning that came from earlier in the window.
 */
export function buildKpis(table: SignalTable, findings: readonly Finding[], risks: readonly Finding[], rules: readonly Rule[], config: AnalysisConfig, baseline: Report | null): Kpi[] {
  const out: Kpi[] = [];
  const all = [...findings, ...risks];
  for (const def of KPIS) {
    const signal = def.signals.find((s) => (table.get(s)?.size ?? 0) > 0);
    const rule = rules.find((r) => r.id === def.rule);
    const threshold = rule ? effectiveThresholds(rule, config).warning : null;
    if (!signal) {
      out.push({ id: def.id, label: def.label, member: null, value: null, unit: rule?.unit ?? '', threshold, status: 'unknown' });
      continue;
    }
    const rows = [...(table.get(signal)?.values() ?? [])].map((d) => ({ entity: d.entity, unit: d.unit, value: latest(d.points) }));
    const chosen = def.cluster ? [rows.reduce((a, b) => ((b.value ?? -Infinity) > (a.value ?? -Infinity) ? b : a))] : rows.sort((a, b) => a.entity.localeCompare(b.entity));
    for (const r of chosen) {
      const member = def.cluster || r.entity === 'cluster' ? null : r.entity;
      const f = findingFor(all, def.rule, member, Boolean(def.cluster));
      const kpi: Kpi = { id: def.id, label: def.label, member, value: r.value, unit: r.unit, threshold, status: f ? f.severity : r.value === null ? 'unknown' : 'healthy' };
      if (f) {
        const ev = f.evidence[0];
        kpi.judged = ev?.value ?? null;
        if (ev) kpi.judgedBasis = f.peer ? `${ev.basis}, to ${f.peer}` : ev.basis;
        if (f.role === 'risk') kpi.risk = true;
      }
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
