/**
 * URLs as they may appear in messages: `http://user:pass@host` keeps its credentials out of every
 * error, problem and report (DESIGN.md: secrets never appear in messages).
 */

/** The URL with any user and password replaced by `***`; also for text that does not parse as a URL. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '***';
    u.password = '';
    return u.toString();
  } catch {
    // Not a URL: hide anything between the scheme (or the start) and an "@" before the host.
    return url.replace(/^([a-z][a-z0-9+.-]*:\/\/)?[^/?#\s]*@/i, (_m, scheme: string | undefined) => `${scheme ?? ''}***@`);
  }
}

/**
 * Splits credentials off a URL: HTTP clients do not send them by themselves (undici ignores them),
 * so they become a Basic authorization header and the URL that is requested carries none.
 */
export function splitCredentials(url: string): { url: string; authorization?: string } {
  const u = new URL(url);
  if (!u.username && !u.password) return { url };
  const user = decodeURIComponent(u.username);
  const pass = decodeURIComponent(u.password);
  u.username = '';
  u.password = '';
  return { url: u.toString(), authorization: `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}` };
}
