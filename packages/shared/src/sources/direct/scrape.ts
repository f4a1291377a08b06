import { request } from 'undici';
import { SourceError } from '../../errors/index.ts';
import { parseExposition, type Exposition } from './parse.ts';

export interface DirectTarget {
  /** Member name (member scope) or node name (node scope). */
  readonly entity: string;
  readonly url: string;
  readonly scope: 'member' | 'node';
}

/** One GET of a /metrics endpoint; every failure is a SourceError naming the URL and the reason. */
export async function scrape(target: DirectTarget, timeoutMs: number): Promise<Exposition> {
  let res;
  try {
    res = await request(target.url, { method: 'GET', headers: { accept: 'text/plain' }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    const err = e as { code?: string; cause?: { code?: string }; name?: string };
    const code = err.code ?? err.cause?.code ?? err.name ?? 'error';
    throw new SourceError('direct', `${target.url}: ${/Timeout|Abort/i.test(code) ? `no answer within ${timeoutMs} ms` : `cannot connect (${code})`}`, { entity: target.entity });
  }
  const text = await res.body.text();
  if (res.statusCode !== 200) throw new SourceError('direct', `${target.url}: HTTP ${res.statusCode}`, { entity: target.entity });
  try {
    const parsed = parseExposition(text);
    if (parsed.size === 0) throw new Error('no samples');
    return parsed;
  } catch (e) {
    throw new SourceError('direct', `${target.url}: not the Prometheus text format (${(e as Error).message})`, { entity: target.entity });
  }
}
