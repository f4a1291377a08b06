/**
 * @module lab
 * A real local etcd cluster for demos, tests and benchmarks: etcd members behind per-member peer
 * proxies, Prometheus with OpenShift-like labels, node_exporter, an optional write load, and
 * fault injection. Every process is detached and found again through DIR/lab.json.
 */
export { labUp, DEFAULT_BASE_PORT, type LabUpOptions } from './lab-up.ts';
export { labDown, type LabDownResult } from './lab-down.ts';
export { labStatus, type LabStatus, type LabMemberStatus } from './lab-status.ts';
export { labFault, type LabFaultOptions } from './lab-fault.ts';
export { labHeal, type LabHealResult } from './lab-heal.ts';
export {
  readLabState,
  LabStateSchema,
  LabMemberSchema,
  LabFaultSchema,
  LabHelperSchema,
  FaultKindSchema,
  FAULT_KINDS,
  type LabState,
  type LabMember,
  type LabFault,
  type LabHelper,
  type FaultKind,
} from './state.ts';
export { portLayout, portUses, MAX_MEMBERS, PORT_BLOCK, type PortLayout, type MemberPorts } from './ports.ts';
export { parseIntegerIn, parseNonNegative, parseDelayMs, parseFill, parseBytes, parseQuotaBytes, parseFaultKind, FAULT_OPTIONS, type Parsed } from './options.ts';
