import { randomBytes } from 'node:crypto';
import { describeError, LabError } from '@etcd-analyzer/shared/errors';
import { probeMembers } from '../cluster.ts';
import { compact, defragment, deletePrefix, disarmAlarm, listAlarms, put } from '../etcd-gateway.ts';
import type { LabState } from '../state.ts';

export const NOSPACE_TEXT = 'database space exceeded';

export interface BulkResult {
  readonly written: number;
  readonly bytes: number;
  /** True when etcd refused a put for lack of space (and raised NOSPACE). */
  readonly noSpace: boolean;
}

export interface BulkOptions {
  readonly clientUrl: string;
  readonly prefix: string;
  readonly valueBytes: number;
  readonly maxKeys: number;
  /** Puts in flight per round; a function to change it as the write goes. */
  readonly concurrency: number | (() => number);
  /** Checked between rounds of `concurrency` puts. */
  readonly done?: () => Promise<boolean>;
  readonly onRound?: (written: number) => void;
}

/** Writes distinct keys under a prefix, `concurrency` at a time, until `done` or `maxKeys`. */
export async function bulkPut(o: BulkOptions): Promise<BulkResult> {
  const value = randomBytes(o.valueBytes);
  let written = 0;
  while (written < o.maxKeys) {
    if (o.done && (await o.done())) break;
    const n = Math.min(typeof o.concurrency === 'number' ? o.concurrency : o.concurrency(), o.maxKeys - written);
    const results = await Promise.allSettled(Array.from({ length: n }, (_, i) => put(o.clientUrl, `${o.prefix}${String(written + i).padStart(8, '0')}`, value, 30_000)));
    const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    written += n - failed.length;
    if (failed.some((f) => describeError(f.reason).includes(NOSPACE_TEXT))) return { written, bytes: written * o.valueBytes, noSpace: true };
    if (failed.length) throw new LabError(`writing ${o.prefix} keys failed: ${describeError(failed[0]?.reason)}`, { prefix: o.prefix });
    o.onRound?.(written);
  }
  return { written, bytes: written * o.valueBytes, noSpace: false };
}

/** The leader's client URL: writes there are not forwarded. */
export async function leaderUrl(state: LabState): Promise<string> {
  const probes = await probeMembers(state);
  const leader = probes.find((p) => p.status?.isLeader);
  if (!leader) throw new LabError(`no etcd leader (${probes.map((p) => `${p.member.name}: ${p.error ?? 'no leader'}`).join('; ')})`, { dir: state.dir });
  return leader.member.clientUrl;
}

/** Largest db size and size in use over the members that answer. */
export async function dbSizes(state: LabState): Promise<Array<{ name: string; total: number; inUse: number | null }>> {
  const probes = await probeMembers(state);
  return probes.flatMap((p) => (p.status ? [{ name: p.member.name, total: p.status.dbSize, inUse: p.status.dbSizeInUse }] : []));
}

/** Removes a prefix, compacts to that revision, defragments every member and disarms alarms. */
export async function reclaim(state: LabState, prefix: string | null, progress: (m: string) => void): Promise<void> {
  const url = await leaderUrl(state);
  if (prefix) {
    const { deleted, revision } = await deletePrefix(url, prefix);
    try {
      await compact(url, revision);
    } catch (e) {
      // Someone (the load generator) compacted past it already: the space is free either way.
      if (!describeError(e).includes('compacted')) throw e;
    }
    progress(`deleted ${deleted} ${prefix} keys and compacted to revision ${revision}`);
  }
  for (const m of state.members) {
    try {
      await defragment(m.clientUrl);
      progress(`defragmented ${m.name}`);
    } catch (e) {
      progress(`could not defragment ${m.name}: ${describeError(e)}`);
    }
  }
  for (const a of await listAlarms(url)) {
    await disarmAlarm(url, a);
    progress(`disarmed ${a.alarm} alarm of member ${a.memberId}`);
  }
}
