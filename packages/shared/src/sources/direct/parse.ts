import parsePrometheusTextFormat from 'parse-prometheus-text-format';

export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** Samples by full sample name: histograms become `<name>_bucket{le}`, `<name>_sum`, `<name>_count`. */
export type Exposition = ReadonlyMap<string, readonly Sample[]>;

interface Family {
  name: string;
  type: string;
  metrics: Array<{ labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string; sum?: string; quantiles?: Record<string, string> }>;
}

/** Parses the Prometheus text exposition format (what etcd and node_exporter serve). */
export function parseExposition(text: string): Exposition {
  const families = parsePrometheusTextFormat(text) as Family[];
  const out = new Map<string, Sample[]>();
  const add = (name: string, labels: Record<string, string>, raw: string | undefined): void => {
    const value = Number(raw);
    if (raw === undefined || Number.isNaN(value)) return;
    const list = out.get(name) ?? [];
    list.push({ labels, value });
    out.set(name, list);
  };
  for (const f of families) {
    for (const m of f.metrics) {
      const labels = m.labels ?? {};
      if (m.buckets) {
        for (const [le, v] of Object.entries(m.buckets)) add(`${f.name}_bucket`, { ...labels, le }, v);
        add(`${f.name}_sum`, labels, m.sum);
        add(`${f.name}_count`, labels, m.count);
      } else if (m.quantiles) {
        add(`${f.name}_sum`, labels, m.sum);
        add(`${f.name}_count`, labels, m.count);
      } else {
        add(f.name, labels, m.value);
      }
    }
  }
  return out;
}
