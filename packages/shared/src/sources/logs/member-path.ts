const GENERIC_NAMES = new Set(['current', 'previous', 'etcd', 'log', 'logs', 'output', 'messages', 'syslog', 'stdin', 'stdout', 'stderr', '0', '-', 'journal', 'container']);

/**
 * The member a log file belongs to, from its path: must-gather `.../pods/<pod>/...`, kubelet
 * `/var/log/pods/<ns>_<pod>_<uid>/...` and `/var/log/containers/<pod>_<ns>_<container>-<id>.log`,
 * else the file name (`etcd-0.log` -> etcd-0) unless it is a generic one like `current.log`.
 */
export function memberFromPath(path: string): { pod?: string; file?: string } {
  const parts = path.split(/[\\/]+/).filter(Boolean);
  const podsAt = parts.lastIndexOf('pods');
  const afterPods = podsAt >= 0 ? parts[podsAt + 1] : undefined;
  if (afterPods && podsAt + 2 < parts.length) {
    const kubelet = /^[^_]+_([^_]+)_[0-9a-f-]{8,}$/.exec(afterPods);
    return { pod: kubelet ? (kubelet[1] as string) : afterPods };
  }
  const base = parts[parts.length - 1] ?? '';
  if (parts[parts.length - 2] === 'containers') {
    const m = /^([^_]+)_[^_]+_.+\.log$/.exec(base);
    if (m) return { pod: m[1] as string };
  }
  const name = base.replace(/(\.(log|txt|json|gz|\d+))+$/i, '');
  return name && !GENERIC_NAMES.has(name.toLowerCase()) ? { file: name } : {};
}
