import { ConfigError } from '../../errors/index.ts';

/** One etcd client endpoint as the user gave it, and what gRPC needs to dial it. */
export interface EtcdEndpointTarget {
  /** The endpoint as shown in reports and problems: the input without any user:password. */
  readonly display: string;
  /** gRPC target: `host:port` (or `unix:/path`). */
  readonly target: string;
  readonly secure: boolean;
}

const DEFAULT_PORT = 2379;

/**
 * Parses `http://h:p`, `https://h:p`, `unix:///path` or a bare `h:p`. A bare endpoint uses TLS
 * only when TLS files were given, as etcdctl does.
 */
export function parseEndpoint(input: string, tlsConfigured: boolean): EtcdEndpointTarget {
  const raw = input.trim();
  if (!raw) throw new ConfigError('etcd endpoint is empty');
  if (raw.startsWith('unix:')) {
    const path = raw.replace(/^unix:(\/\/)?/, '');
    if (!path) throw new ConfigError(`etcd endpoint "${raw}" names no socket path`);
    return { display: raw, target: `unix:${path}`, secure: false };
  }
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `${tlsConfigured ? 'https' : 'http'}://${raw}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new ConfigError(`etcd endpoint "${stripUserInfo(raw)}" is not a valid URL or host:port`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`etcd endpoint "${stripUserInfo(raw)}" must use http://, https:// or unix://`);
  }
  if (!url.hostname) throw new ConfigError(`etcd endpoint "${stripUserInfo(raw)}" names no host`);
  const port = url.port || String(DEFAULT_PORT);
  // URL keeps IPv6 hosts bracketed, which is also what gRPC targets expect.
  const target = `${url.hostname}:${port}`;
  return { display: `${url.protocol}//${target}`, target, secure: url.protocol === 'https:' };
}

/** Removes `user:password@` so that an endpoint can be printed safely. */
export function stripUserInfo(s: string): string {
  return s.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/@\s]*@/i, '$1');
}

/** The `host:port` part of a URL, for matching an endpoint against a member's client URLs. */
export function hostPort(url: string): string | undefined {
  try {
    const u = new URL(url);
    return `${u.hostname}:${u.port || (u.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    return undefined;
  }
}
