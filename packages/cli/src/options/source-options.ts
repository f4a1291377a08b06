import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { parseDuration, parseMatchers, renderMatchers, type Selectors } from '@etcd-analyzer/shared/catalog';
import { DEFAULT_SELECTORS } from '@etcd-analyzer/shared/schema';
import { ConfigError } from '@etcd-analyzer/shared/errors';
import { redactUrl, type CollectRequest, type DirectTarget } from '@etcd-analyzer/shared/sources';
import { readLabState } from '@etcd-analyzer/lab/state';
import { resolveWindow } from './window.ts';

/** `label="v",...` as typed after --selector: the defaults come from the one place they live. */
const matcherText = (ms: Selectors['member']): string => renderMatchers(ms).slice(1, -1);

/** Flags shared by every command that reads a cluster (collect, analyze). */
export function addSourceOptions(cmd: Command): Command {
  return cmd
    .option('--prometheus <url>', 'Prometheus or Thanos querier URL')
    .option('--direct <urls>', 'scrape members\' /metrics directly: comma-separated URL or name=URL')
    .option('--node-exporter <urls>', 'with --direct: node_exporter URLs (URL or node=URL), comma-separated')
    .option('--etcd <endpoints>', 'etcd client endpoints for status over gRPC, comma-separated')
    .option('--logs <files...>', 'etcd log files to scan (JSON or text; journald/CRI/docker wrapped); - for stdin')
    .option('--lab <dir>', 'read everything from a running `etcd-analyzer lab` in DIR')
    .option('--duration <d>', 'window to analyse, e.g. 15m, 1h30m', '15m')
    .option('--start <time>', 'start of a past window: RFC 3339 (2026-05-01T10:00:00Z) or relative (-2h)')
    .option('--end <time>', 'end of a past window: RFC 3339, relative (-1h) or now (default)')
    .option('--interval <d>', 'with --direct: scrape interval', '5s')
    .option('--step <d>', 'range-query step (default: window/300, at least 15s)')
    .option('--cluster <name>', 'cluster name used in reports and storage', 'local')
    .option('--selector <matchers>', 'PromQL matchers for etcd series', matcherText(DEFAULT_SELECTORS.member))
    .option('--member-label <label>', 'label that names a member (default: detect pod, else instance)')
    .option('--node-selector <matchers>', 'PromQL matchers for node_exporter series', matcherText(DEFAULT_SELECTORS.node))
    .option('--node-label <label>', 'label that names a node', DEFAULT_SELECTORS.nodeLabel)
    .option('--bearer-token-file <file>', 'file holding the Prometheus bearer token (or env ETCD_ANALYZER_PROMETHEUS_TOKEN)')
    .option('--ca-file <file>', 'CA bundle for https Prometheus and etcd endpoints')
    .option('--cert-file <file>', 'client certificate for etcd endpoints')
    .option('--key-file <file>', 'client key for etcd endpoints')
    .option('--insecure-skip-tls-verify', 'do not verify TLS certificates (not for production)')
    .option('--timeout <d>', 'per-request timeout (default 30s; with --direct: the scrape interval, at most 10s)');
}

export interface SourceFlags {
  prometheus?: string;
  direct?: string;
  nodeExporter?: string;
  etcd?: string;
  logs?: string[];
  lab?: string;
  duration: string;
  start?: string;
  end?: string;
  interval: string;
  step?: string;
  cluster: string;
  selector: string;
  memberLabel?: string;
  nodeSelector: string;
  nodeLabel: string;
  bearerTokenFile?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
  insecureSkipTlsVerify?: boolean;
  timeout?: string;
}

function duration(flag: string, value: string): number {
  try {
    return parseDuration(value);
  } catch (e) {
    throw new ConfigError(`--${flag}: ${(e as Error).message}`);
  }
}

function matchers(flag: string, value: string): ReturnType<typeof parseMatchers> {
  try {
    return parseMatchers(value);
  } catch (e) {
    throw new ConfigError(`--${flag}: ${(e as Error).message}`);
  }
}

const URL_EXAMPLE: Readonly<Record<string, string>> = { etcd: 'https://10.0.0.1:2379', direct: 'https://10.0.0.1:9979/metrics', 'node-exporter': 'http://10.0.0.1:9100/metrics' };

function url(flag: string, value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new ConfigError(`--${flag}: "${redactUrl(value)}" is not a URL (expected e.g. ${URL_EXAMPLE[flag] ?? 'http://127.0.0.1:9090'})`);
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new ConfigError(`--${flag}: "${redactUrl(value)}" must be http:// or https://`);
  return value;
}

/** A file flag must name a readable file: a directory or a missing path is named with its flag. */
function file(flag: string, value: string | undefined): string | undefined {
  if (value === undefined || value === '-') return value;
  let st;
  try {
    st = statSync(value);
  } catch {
    throw new ConfigError(`--${flag}: file "${value}" does not exist`);
  }
  if (st.isDirectory()) throw new ConfigError(`--${flag}: "${value}" is a directory, not a file`);
  return value;
}

/** The bearer token: an empty file is a mistake (a failed `oc whoami -t > file`), never "no auth". */
function token(tokenFile: string | undefined): string | undefined {
  if (!tokenFile) return process.env.ETCD_ANALYZER_PROMETHEUS_TOKEN?.trim() || undefined;
  const value = readFileSync(tokenFile, 'utf8').trim();
  if (!value) throw new ConfigError(`--bearer-token-file: "${tokenFile}" is empty`);
  return value;
}

/** etcdctl accepts bare host:port endpoints; so do we, over TLS when certificates are given. */
function etcdEndpoint(value: string, tls: boolean): string {
  return url('etcd', /^[\w.-]+:\d+$|^\[[0-9a-fA-F:]+\]:\d+$/.test(value) ? `${tls ? 'https' : 'http'}://${value}` : value);
}

/** "a=http://x,http://y" -> [{entity:'a', url}, {entity:'y-host:port', url}] */
function targets(flag: string, value: string, scope: 'member' | 'node'): DirectTarget[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((item) => {
      const eq = item.indexOf('=');
      const hasName = eq > 0 && !item.slice(0, eq).includes('/');
      const u = url(flag, hasName ? item.slice(eq + 1) : item);
      const parsed = new URL(u);
      return { entity: hasName ? item.slice(0, eq) : parsed.host, url: parsed.pathname === '/' ? `${u.replace(/\/$/, '')}/metrics` : u, scope };
    });
}

/** Turns validated flags into a collection request; every error names its flag. */
export function toCollectRequest(f: SourceFlags): CollectRequest {
  let prometheus = f.prometheus;
  let etcd = f.etcd;
  let logs = f.logs;
  if (f.lab) {
    const lab = readLabState(f.lab);
    if (!f.direct) prometheus ??= lab.prometheusUrl;
    etcd ??= lab.members.map((m) => m.clientUrl).join(',');
    logs ??= lab.members.map((m) => m.logFile);
  }
  if (prometheus && f.direct) throw new ConfigError('--prometheus and --direct are exclusive: pick one metric source');
  if (!prometheus && !f.direct && !etcd && !logs?.length) throw new ConfigError('no source given: use --prometheus URL, --direct URLs, --etcd ENDPOINTS, --logs FILE or --lab DIR');
  const window = resolveWindow(f, Math.floor(Date.now() / 1000), duration('duration', f.duration));
  if (f.direct && window.end !== undefined) throw new ConfigError('--direct scrapes from now on: a past window (--start/--end) needs --prometheus');
  // Only an explicit --timeout applies to --direct: its default follows the scrape interval.
  const explicitTimeoutMs = f.timeout === undefined ? undefined : duration('timeout', f.timeout) * 1000;
  const timeoutMs = explicitTimeoutMs ?? 30_000;
  const bearer = token(file('bearer-token-file', f.bearerTokenFile));
  const caFile = file('ca-file', f.caFile);
  const selectors: Selectors = {
    ...DEFAULT_SELECTORS,
    member: matchers('selector', f.selector),
    memberLabel: f.memberLabel ?? DEFAULT_SELECTORS.memberLabel,
    node: matchers('node-selector', f.nodeSelector),
    nodeLabel: f.nodeLabel,
  };
  for (const l of logs ?? []) file('logs', l);
  const req: CollectRequest = {
    cluster: f.cluster,
    durationSeconds: window.durationSeconds,
    ...(window.end !== undefined ? { end: window.end } : {}),
    selectors,
    detectMemberLabel: f.memberLabel === undefined,
    ...(f.step ? { stepSeconds: duration('step', f.step) } : {}),
    ...(prometheus
      ? { prometheus: { url: url('prometheus', prometheus), timeoutMs, ...(bearer ? { token: bearer } : {}), ...(caFile ? { caFile } : {}), ...(f.insecureSkipTlsVerify ? { insecureSkipVerify: true } : {}) } }
      : {}),
    ...(f.direct
      ? {
          direct: {
            targets: [...targets('direct', f.direct, 'member'), ...(f.nodeExporter ? targets('node-exporter', f.nodeExporter, 'node') : [])],
            intervalSeconds: duration('interval', f.interval),
            ...(explicitTimeoutMs ? { timeoutMs: explicitTimeoutMs } : {}),
          },
        }
      : {}),
    ...(etcd
      ? {
          etcd: {
            endpoints: etcd.split(',').map((e) => e.trim()).filter(Boolean).map((e) => etcdEndpoint(e, Boolean(caFile || f.certFile))),
            timeoutMs,
            tls: {
              ...(caFile ? { caFile } : {}),
              ...(f.certFile ? { certFile: file('cert-file', f.certFile) as string } : {}),
              ...(f.keyFile ? { keyFile: file('key-file', f.keyFile) as string } : {}),
              ...(f.insecureSkipTlsVerify ? { insecureSkipVerify: true } : {}),
            },
          },
        }
      : {}),
    ...(logs?.length ? { logs: { files: logs } } : {}),
  };
  return req;
}
