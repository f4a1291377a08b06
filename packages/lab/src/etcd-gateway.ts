import { z } from 'zod';
import { LabError } from '@etcd-analyzer/shared/errors';

/**
 * etcd's JSON gRPC gateway (`POST /v3/...`), which 3.4 to 3.6 all serve on the client URL. Keys
 * and values travel base64-encoded; 64-bit integers come back as strings.
 */
const b64 = (s: string | Uint8Array): string => Buffer.from(s).toString('base64');
const int = z.union([z.string(), z.number()]).transform((v) => Number(v));

export const EtcdStatusSchema = z.object({
  header: z.object({ member_id: z.string(), revision: int.optional() }),
  version: z.string(),
  dbSize: int.default(0),
  dbSizeInUse: int.optional(),
  leader: z.string().default('0'),
  raftTerm: int.default(0),
  raftIndex: int.default(0),
  errors: z.array(z.string()).optional(),
});

export interface EtcdStatus {
  readonly memberId: string;
  readonly leaderId: string;
  readonly isLeader: boolean;
  readonly version: string;
  readonly dbSize: number;
  readonly dbSizeInUse: number | null;
  readonly raftTerm: number;
  readonly revision: number | null;
  readonly errors: readonly string[];
}

/** The error text of a gateway answer: 3.4 says `error`, 3.5+ says `message`. */
function gatewayError(body: unknown): string | undefined {
  if (body && typeof body === 'object') {
    const b = body as { message?: unknown; error?: unknown };
    if (typeof b.message === 'string') return b.message;
    if (typeof b.error === 'string') return b.error;
  }
  return undefined;
}

export async function gatewayCall(clientUrl: string, path: string, body: unknown, timeoutMs = 5000): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(`${clientUrl}${path}`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (e) {
    throw new LabError(`etcd at ${clientUrl} did not answer ${path}`, { clientUrl, path }, { cause: e });
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    throw new LabError(`etcd at ${clientUrl} answered ${path} with HTTP ${res.status} and no JSON`, { clientUrl, path });
  }
  if (!res.ok) throw new LabError(`etcd at ${clientUrl} refused ${path}: ${gatewayError(json) ?? `HTTP ${res.status}`}`, { clientUrl, path, status: res.status });
  return json;
}

export async function memberStatus(clientUrl: string, timeoutMs = 3000): Promise<EtcdStatus> {
  const parsed = EtcdStatusSchema.safeParse(await gatewayCall(clientUrl, '/v3/maintenance/status', {}, timeoutMs));
  if (!parsed.success) throw new LabError(`etcd at ${clientUrl} sent a status the lab cannot read: ${parsed.error.issues[0]?.message ?? ''}`, { clientUrl });
  const s = parsed.data;
  return {
    memberId: s.header.member_id,
    leaderId: s.leader,
    isLeader: s.leader !== '0' && s.leader === s.header.member_id,
    version: s.version,
    dbSize: s.dbSize,
    dbSizeInUse: s.dbSizeInUse ?? null,
    raftTerm: s.raftTerm,
    revision: s.header.revision ?? null,
    errors: s.errors ?? [],
  };
}

export async function put(clientUrl: string, key: string, value: string | Uint8Array, timeoutMs = 10_000): Promise<number> {
  const r = (await gatewayCall(clientUrl, '/v3/kv/put', { key: b64(key), value: b64(value) }, timeoutMs)) as { header?: { revision?: string } };
  return Number(r.header?.revision ?? 0);
}

/** The range end that selects every key starting with `prefix` (etcdctl --prefix). */
export function prefixRangeEnd(prefix: string): Buffer {
  const end = Buffer.from(prefix);
  for (let i = end.length - 1; i >= 0; i--) {
    if ((end[i] as number) < 0xff) {
      end[i] = (end[i] as number) + 1;
      return end.subarray(0, i + 1);
    }
  }
  return Buffer.from([0]);
}

/** Deletes every key under `prefix`; returns the store revision after the delete. */
export async function deletePrefix(clientUrl: string, prefix: string, timeoutMs = 30_000): Promise<{ deleted: number; revision: number }> {
  const r = (await gatewayCall(clientUrl, '/v3/kv/deleterange', { key: b64(prefix), range_end: b64(prefixRangeEnd(prefix)) }, timeoutMs)) as { header?: { revision?: string }; deleted?: string };
  return { deleted: Number(r.deleted ?? 0), revision: Number(r.header?.revision ?? 0) };
}

export async function compact(clientUrl: string, revision: number, timeoutMs = 60_000): Promise<void> {
  await gatewayCall(clientUrl, '/v3/kv/compaction', { revision: String(revision), physical: true }, timeoutMs);
}

export async function defragment(clientUrl: string, timeoutMs = 120_000): Promise<void> {
  await gatewayCall(clientUrl, '/v3/maintenance/defragment', {}, timeoutMs);
}

export interface Alarm {
  readonly memberId: string;
  readonly alarm: string;
}

export async function listAlarms(clientUrl: string): Promise<Alarm[]> {
  const r = (await gatewayCall(clientUrl, '/v3/maintenance/alarm', { action: 'GET' })) as { alarms?: Array<{ memberID?: string; alarm?: string }> };
  return (r.alarms ?? []).map((a) => ({ memberId: String(a.memberID ?? '0'), alarm: a.alarm ?? 'NONE' }));
}

export async function disarmAlarm(clientUrl: string, a: Alarm): Promise<void> {
  await gatewayCall(clientUrl, '/v3/maintenance/alarm', { action: 'DEACTIVATE', memberID: a.memberId, alarm: a.alarm });
}
