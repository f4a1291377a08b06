import { readFileSync } from 'node:fs';
import type { CatalogMetric } from '../../catalog/index.ts';
import { ConfigError } from '../../errors/index.ts';
import type { CollectRequest } from '../../schema/index.ts';
import type { MetricSource } from '../source.ts';
import { createPrometheusClient } from './client.ts';
import { collectPrometheus } from './collect-prometheus.ts';

type Spec = NonNullable<CollectRequest['prometheus']>;

/** A bearer token from the request or its file; an empty file is an error naming it. */
export function prometheusToken(spec: Spec): string | undefined {
  if (spec.token) return spec.token;
  if (!spec.tokenFile) return undefined;
  let token: string;
  try {
    token = readFileSync(spec.tokenFile, 'utf8').trim();
  } catch (e) {
    throw new ConfigError(`prometheus.tokenFile: cannot read "${spec.tokenFile}": ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  if (!token) throw new ConfigError(`prometheus.tokenFile: "${spec.tokenFile}" is empty`);
  return token;
}

/** Prometheus or Thanos: one client for the source's life; the member label is detected once. */
export function createPrometheusSource(req: CollectRequest, metrics: readonly CatalogMetric[]): MetricSource {
  const spec = req.prometheus as Spec;
  const token = prometheusToken(spec);
  const client = createPrometheusClient({
    url: spec.url,
    ...(token ? { token } : {}),
    ...(spec.caFile ? { caFile: spec.caFile } : {}),
    ...(spec.insecureSkipVerify ? { insecureSkipVerify: true } : {}),
    ...(spec.timeoutMs ? { timeoutMs: spec.timeoutMs } : {}),
    ...(spec.retries !== undefined ? { retries: spec.retries } : {}),
  });
  let selectors = req.selectors;
  let detect = req.detectMemberLabel;
  return {
    kind: 'prometheus',
    provides: 'metrics',
    live: false,
    async collect(window, opts = {}) {
      const before = client.requests;
      const r = await collectPrometheus({
        client,
        metrics,
        selectors,
        detectMemberLabel: detect,
        start: window.start,
        end: window.end,
        stepSeconds: window.step,
        ...(window.continues ? { queryStart: window.start + window.step } : {}),
        ...(spec.batchSize ? { batchSize: spec.batchSize } : {}),
        ...(spec.concurrency ? { concurrency: spec.concurrency } : {}),
        onProgress: (d, t) => opts.onProgress?.(`prometheus: ${d}/${t} queries`),
      });
      // Once found, the member label stays: later collections need not ask again.
      if (r.series.length > 0) {
        selectors = r.selectors;
        detect = false;
      }
      return { series: r.series, problems: r.problems, requests: client.requests - before, window };
    },
    close: () => client.close(),
  };
}
