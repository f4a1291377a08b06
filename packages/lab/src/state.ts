import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { LabError, ValidationError } from '@etcd-analyzer/shared/errors';

export const LAB_STATE_FILE = 'lab.json';

export const FAULT_KINDS = ['slow-disk', 'leader-churn', 'member-down', 'quota', 'fragmentation', 'cpu', 'peer-latency'] as const;
export const FaultKindSchema = z.enum(FAULT_KINDS);
export type FaultKind = z.infer<typeof FaultKindSchema>;

/**
 * A process the lab started. `startTime` is field 22 of /proc/PID/stat at spawn time: together
 * with the pid it names one process for good, so a recycled pid is never signalled.
 */
export const ProcessRefSchema = z.object({
  pid: z.number().int().positive(),
  startTime: z.number().int().nonnegative(),
  command: z.string(),
});
export type ProcessRef = z.infer<typeof ProcessRefSchema>;

export const LabMemberSchema = z.object({
  name: z.string(),
  clientUrl: z.url(),
  peerUrl: z.url(),
  advertisedPeerUrl: z.url(),
  metricsUrl: z.url(),
  pid: z.number().int().positive(),
  startTime: z.number().int().nonnegative(),
  dataDir: z.string(),
  logFile: z.string(),
  /** stdout/stderr of the process (panics, flag errors); the zap log goes to logFile. */
  outFile: z.string(),
  /** The exact command line, so a stopped member restarts as it was. */
  args: z.array(z.string()),
});
export type LabMember = z.infer<typeof LabMemberSchema>;

export const HelperRoleSchema = z.enum(['prometheus', 'node-exporter', 'load', 'peer-proxy']);
export type HelperRole = z.infer<typeof HelperRoleSchema>;

export const LabHelperSchema = ProcessRefSchema.extend({ role: HelperRoleSchema, logFile: z.string() });
export type LabHelper = z.infer<typeof LabHelperSchema>;

export const LabFaultSchema = z.object({
  kind: FaultKindSchema,
  member: z.string().optional(),
  /** The main fault process (strace, churn loop), when there is one. */
  pid: z.number().int().positive().optional(),
  detail: z.string(),
  since: z.string(),
  processes: z.array(ProcessRefSchema).default([]),
  /** What heal needs to undo the fault, e.g. the member's CPU affinity before pinning. */
  restore: z.record(z.string(), z.string()).default({}),
});
export type LabFault = z.infer<typeof LabFaultSchema>;

export const LabStateSchema = z.object({
  schemaVersion: z.literal(1),
  dir: z.string(),
  createdAt: z.string(),
  etcdVersion: z.string(),
  basePort: z.number().int(),
  heartbeatMs: z.number().int().positive(),
  electionTimeoutMs: z.number().int().positive(),
  quotaBytes: z.number().int().positive().nullable(),
  loadOpsPerSecond: z.number().nonnegative(),
  members: z.array(LabMemberSchema),
  prometheusUrl: z.url(),
  nodeExporterUrl: z.url(),
  peerProxyConfig: z.string(),
  helpers: z.array(LabHelperSchema),
  faults: z.array(LabFaultSchema),
});
export type LabState = z.infer<typeof LabStateSchema>;

export function labStatePath(dir: string): string {
  return join(resolve(dir), LAB_STATE_FILE);
}

/** Reads DIR/lab.json; a missing or malformed file is a LabError that names the path. */
export function readLabState(dir: string): LabState {
  const path = labStatePath(dir);
  if (!existsSync(path)) throw new LabError(`no lab in ${resolve(dir)}: ${LAB_STATE_FILE} not found (start one with: etcd-analyzer lab up --dir ${dir})`, { dir });
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new LabError(`${path} is not valid JSON`, { dir }, { cause: e });
  }
  const parsed = LabStateSchema.safeParse(raw);
  if (!parsed.success) throw new ValidationError(`lab state ${path}`, parsed.error);
  return parsed.data;
}

/** Writes through a temporary file and a rename, so a reader never sees half a state. */
export function writeLabState(state: LabState): void {
  const path = labStatePath(state.dir);
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(LabStateSchema.parse(state), null, 2)}\n`);
  renameSync(tmp, path);
}

/** Every process recorded in the state, fault processes first (they act on the members). */
export function allProcesses(state: LabState): Array<ProcessRef & { what: string }> {
  return [
    ...state.faults.flatMap((f) => f.processes.map((p) => ({ ...p, what: `${f.kind} fault process` }))),
    ...state.helpers.map((h) => ({ pid: h.pid, startTime: h.startTime, command: h.command, what: h.role })),
    ...state.members.map((m) => ({ pid: m.pid, startTime: m.startTime, command: m.args[0] ?? 'etcd', what: m.name })),
  ];
}

/** A member as a process reference, for the pid checks in processes.ts. */
export function memberProcess(m: LabMember): ProcessRef {
  return { pid: m.pid, startTime: m.startTime, command: m.args[0] ?? 'etcd' };
}
