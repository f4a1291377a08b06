/** Human formatting of catalog values by unit (shared by the CLI, rule summaries and reports). */
export function formatValue(v: number, unit: string): string {
  if (!Number.isFinite(v)) return 'n/a';
  switch (unit) {
    case 'seconds':
      return v < 1 ? `${(v * 1000).toFixed(v < 0.01 ? 2 : 1)} ms` : `${v.toFixed(2)} s`;
    case 'bytes':
      return bytes(v);
    case 'bytesPerSecond':
      return `${bytes(v)}/s`;
    case 'percent':
      return `${v.toFixed(1)} %`;
    case 'ratio':
      return `${(v * 100).toFixed(1)} %`;
    case 'perSecond':
      return `${v.toFixed(v < 10 ? 2 : 0)}/s`;
    case 'count':
      // Counts over a window come from increase(), which PromQL extrapolates: 2.01 means 2.
      return Math.abs(v) >= 1 ? String(Math.round(v)) : v.toFixed(2);
    default:
      return Number.isInteger(v) ? String(v) : v.toFixed(2);
  }
}

function bytes(v: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  let x = v;
  while (Math.abs(x) >= 1024 && i < units.length - 1) {
    x /= 1024;
    i++;
  }
  return `${x.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}
