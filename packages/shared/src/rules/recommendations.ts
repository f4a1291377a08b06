/** What to do, as data: rules and root causes refer to these ids. `{member}` is filled in. */
export interface RecommendationTemplate {
  readonly category: string;
  readonly action: string;
  readonly rationale: string;
  readonly command?: string;
}

export const RECOMMENDATIONS: Readonly<Record<string, RecommendationTemplate>> = {
  fioDiskCheck: {
    category: 'disk',
    action: 'Measure the etcd data disk of {member} with fio the way etcd writes (small sequential writes, fdatasync after each)',
    rationale: 'etcd needs the 99th percentile of fdatasync under 10 ms; fio shows whether the device can do it at all.',
    command: 'fio --rw=write --ioengine=sync --fdatasync=1 --directory=/var/lib/etcd/fio-test --size=22m --bs=2300 --name=etcd-disk-check  # on OpenShift: oc debug node/<node> -- chroot /host podman run --volume /var/lib/etcd:/var/lib/etcd:Z quay.io/openshift-scale/etcd-perf',
  },
  dedicatedFastDisk: {
    category: 'disk',
    action: 'Move the etcd data directory of {member} to a dedicated local NVMe/SSD with guaranteed IOPS',
    rationale: 'Network block storage (NFS, Ceph RBD, burstable cloud volumes) typically cannot hold a 10 ms fsync p99; sharing the device with other workloads adds queueing.',
    command: 'lsblk -o NAME,ROTA,MODEL,MOUNTPOINT; findmnt /var/lib/etcd',
  },
  checkNoisyNeighbours: {
    category: 'disk',
    action: 'Look for other I/O on the node of {member}: image pulls, logging, other databases on the same device',
    rationale: 'etcd\'s fsyncs queue behind other writers on a shared device.',
    command: 'iostat -xz 2 5; iotop -obP -d 2',
  },
  defragment: {
    category: 'database',
    action: 'Defragment {member}, one member at a time, followers first and the leader last',
    rationale: 'Defragmentation returns free pages to the file system; it blocks the member while it runs.',
    command: 'etcdctl --endpoints=<member> defrag  # then: etcdctl endpoint status -w table',
  },
  compactAndDefrag: {
    category: 'database',
    action: 'Compact the keyspace to the current revision, then defragment each member',
    rationale: 'Compaction frees old revisions inside the DB; defragmentation gives the space back.',
    command: 'rev=$(etcdctl endpoint status -w json | jq -r ".[0].Status.header.revision"); etcdctl compact $rev; etcdctl defrag --cluster',
  },
  disarmAlarm: {
    category: 'database',
    action: 'After reclaiming space, disarm the NOSPACE alarm',
    rationale: 'etcd keeps refusing writes until the alarm is disarmed explicitly.',
    command: 'etcdctl alarm list; etcdctl alarm disarm',
  },
  raiseQuota: {
    category: 'database',
    action: 'Raise --quota-backend-bytes (at most 8 GiB recommended) if the data is legitimate',
    rationale: 'The default quota is 2 GiB; OpenShift sets 8 GiB.',
    command: 'etcd --quota-backend-bytes=8589934592',
  },
  findLargeResources: {
    category: 'database',
    action: 'Find which resources fill etcd (events, secrets, CRDs) and clean up or limit them',
    rationale: 'Object counts per resource show who fills the keyspace.',
    command: 'topk(20, max by (resource) (apiserver_storage_objects))  # or: etcdctl get / --prefix --keys-only | cut -d/ -f3 | sort | uniq -c | sort -rn | head',
  },
  checkPeerNetwork: {
    category: 'network',
    action: 'Check latency, loss and bandwidth between the members (from {member} to its peers)',
    rationale: 'Raft needs peer round trips well under the heartbeat interval; loss and congestion cause missed heartbeats and elections.',
    command: 'etcdctl check perf; ping -c 20 <peer>; histogram_quantile(0.99, sum by (pod, To, le) (rate(etcd_network_peer_round_trip_time_seconds_bucket[5m])))',
  },
  tuneHeartbeat: {
    category: 'network',
    action: 'If the members are far apart, raise --heartbeat-interval to about the peer RTT and --election-timeout to 10x it',
    rationale: 'etcd\'s tuning guide: the heartbeat should be close to the round-trip time between members.',
    command: 'etcd --heartbeat-interval=<rtt ms> --election-timeout=<10x>',
  },
  checkMemberDown: {
    category: 'availability',
    action: 'Find out why {member} is not reporting: process, pod, node and its logs',
    rationale: 'With one member down the cluster tolerates no further failure.',
    command: 'etcdctl endpoint health --cluster; oc get pods -n openshift-etcd -o wide; oc logs -n openshift-etcd <pod> -c etcd --tail=200',
  },
  restoreQuorum: {
    category: 'availability',
    action: 'Bring members back or restore quorum from a backup',
    rationale: 'Without quorum the cluster accepts no writes; the control plane stops.',
    command: 'https://docs.openshift.com/container-platform/latest/backup_and_restore/control_plane_backup_and_restore/disaster_recovery/scenario-2-restoring-cluster-state.html',
  },
  checkCpuStarvation: {
    category: 'cpu',
    action: 'Check CPU contention on the node of {member}: who else runs there, and whether etcd is throttled',
    rationale: 'A starved etcd misses heartbeats and applies slowly; etcd should not share cores with busy workloads.',
    command: 'top -b -n1 -o %CPU | head -20; topk(10, sum by (namespace) (rate(container_cpu_usage_seconds_total{node="<node>"}[5m])))',
  },
  reduceClientLoad: {
    category: 'client',
    action: 'Find expensive clients: large ranges (LIST of all objects), frequent full-namespace reads, watch storms',
    rationale: 'Expensive reads hold the apply loop and inflate memory; one rogue controller listing every pod every few seconds is a classic cause.',
    command: 'etcd log: grep "apply request took too long" | grep "read-only range"; apiserver: topk(10, sum by (resource, verb) (rate(apiserver_request_total[5m])))',
  },
  addMemory: {
    category: 'memory',
    action: 'Give the control-plane nodes more memory or move other workloads away',
    rationale: 'etcd\'s resident memory grows with the DB size; memory pressure causes page faults and OOM kills.',
  },
  raiseFdLimit: {
    category: 'process',
    action: 'Raise the open-file limit of etcd and look for leaked client connections',
    rationale: 'Each client connection and WAL segment takes a descriptor.',
    command: 'cat /proc/$(pgrep -x etcd)/limits | grep "open files"; ss -tnp | grep etcd | wc -l',
  },
};
