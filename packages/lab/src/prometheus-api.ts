import { z } from 'zod';
import { describeError, LabError } from '@etcd-analyzer/shared/errors';
import { sleep } from './processes.ts';

const VectorAnswerSchema = z.object({
  status: z.literal('success'),
  data: z.object({ resultType: z.literal('vector'), result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: z.tuple([z.number(), z.string()]) })) }),
});

export interface Sample {
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** An instant query; the lab only needs vectors (up, ratios). */
export async function queryVector(prometheusUrl: string, query: string, timeoutMs = 5000): Promise<Sample[]> {
  const res = await fetch(`${prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`, { signal: AbortSignal.timeout(timeoutMs) });
  if (!res.ok) throw new LabError(`prometheus at ${prometheusUrl} answered HTTP ${res.status} to ${query}`, { prometheusUrl });
  const parsed = VectorAnswerSchema.safeParse(await res.json());
  if (!parsed.success) throw new LabError(`prometheus at ${prometheusUrl} sent an unexpected answer to ${query}`, { prometheusUrl });
  return parsed.data.data.result.map((r) => ({ labels: r.metric, value: Number(r.value[1]) }));
}

/**
 * Waits until Prometheus has scraped every expected target of a job successfully at least once
 * (`up == 1`), identifying targets by `label`.
 */
export async function waitForTargetsUp(prometheusUrl: string, job: string, label: string, expected: readonly string[], timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let missing: string[] = [...expected];
  let lastError = '';
  while (Date.now() < deadline) {
    try {
      const up = await queryVector(prometheusUrl, `up{job="${job}"}`);
      const good = new Set(up.filter((s) => s.value === 1).map((s) => s.labels[label]));
      missing = expected.filter((e) => !good.has(e));
      if (!missing.length) return;
    } catch (e) {
      lastError = describeError(e);
    }
    await sleep(1000);
  }
  throw new LabError(`prometheus has not scraped ${job} target(s) ${missing.join(', ')} after ${Math.round(timeoutMs / 1000)} s${lastError ? ` (${lastError})` : ''}`, { prometheusUrl, job });
}

export async function waitForReady(prometheusUrl: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${prometheusUrl}/-/ready`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(300);
  }
  throw new LabError(`prometheus at ${prometheusUrl} not ready after ${Math.round(timeoutMs / 1000)} s`, { prometheusUrl });
}
