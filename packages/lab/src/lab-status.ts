import { probeMembers } from './cluster.ts';
import { isOurs, isStopped } from './processes.ts';
import { readLabState, type HelperRole, type LabFault } from './state.ts';

export interface LabMemberStatus {
  readonly name: string;
  readonly clientUrl: string;
  readonly metricsUrl: string;
  readonly pid: number;
  /** The process the lab started is alive (it may be SIGSTOPped: see `paused`). */
  readonly running: boolean;
  readonly paused: boolean;
  readonly leader: boolean;
  readonly dbSize: number | null;
  readonly dbSizeInUse: number | null;
  readonly raftTerm: number | null;
  /** Why the member did not answer its status call, if it did not. */
  readonly error: string | null;
}

export interface LabStatus {
  readonly dir: string;
  readonly etcdVersion: string;
  readonly members: LabMemberStatus[];
  readonly leader: string | null;
  readonly faults: LabFault[];
  readonly prometheusUrl: string;
  readonly nodeExporterUrl: string;
  readonly helpers: Array<{ role: HelperRole; pid: number; running: boolean }>;
}

/** What runs, who leads, how big each member's database is, and which faults are active. */
export async function labStatus(opts: { dir: string }): Promise<LabStatus> {
  const state = readLabState(opts.dir);
  const probes = await probeMembers(state);
  const members = probes.map(({ member: m, status, error }): LabMemberStatus => {
    const ref = { pid: m.pid, startTime: m.startTime, command: m.args[0] ?? 'etcd' };
    const running = isOurs(ref);
    return {
      name: m.name,
      clientUrl: m.clientUrl,
      metricsUrl: m.metricsUrl,
      pid: m.pid,
      running,
      paused: running && isStopped(ref),
      leader: status?.isLeader ?? false,
      dbSize: status?.dbSize ?? null,
      dbSizeInUse: status?.dbSizeInUse ?? null,
      raftTerm: status?.raftTerm ?? null,
      error: running ? error : 'not running',
    };
  });
  return {
    dir: state.dir,
    etcdVersion: state.etcdVersion,
    members,
    leader: members.find((m) => m.leader)?.name ?? null,
    faults: state.faults,
    prometheusUrl: state.prometheusUrl,
    nodeExporterUrl: state.nodeExporterUrl,
    helpers: state.helpers.map((h) => ({ role: h.role, pid: h.pid, running: isOurs(h) })),
  };
}
