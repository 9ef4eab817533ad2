// Which URLs the HTTP connector may call. An entry is a URL prefix: `https://api.example.com/v1` allows
// that origin (scheme, host and port, compared as parsed, so `HTTPS://API.example.com:443` is the same)
// and the paths under /v1 (/v1, /v1/…, not /v10). An entry that names a host may reach whatever address
// it resolves to, private ones included: its operator named it (a service on the internal network, a
// local one in development). An entry of a scheme alone, `https://`, allows any host of that scheme,
// but only at public addresses: loopback, link-local and private ones are refused after DNS resolution.

export interface AllowedUrl {
  readonly protocol: string;
  /** host and port as URL.host gives them; absent: any host, public addresses only */
  readonly host?: string;
  readonly path: string;
}

export type UrlPermission = { allowed: false } | { allowed: true; anyAddress: boolean };

const SCHEME_ONLY = /^(https?):\/\/$/i;

/** Throws an Error naming the entry when it is no http(s) URL prefix. */
export function parseAllowedUrl(entry: string): AllowedUrl {
  const scheme = SCHEME_ONLY.exec(entry.trim());
  if (scheme) return { protocol: `${scheme[1]!.toLowerCase()}:`, path: '/' };
  const url = URL.canParse(entry.trim()) ? new URL(entry.trim()) : undefined;
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password || url.search || url.hash) {
    throw new Error(`'${entry}' is no allowed URL: give an http or https URL without credentials, query or fragment (or https:// for any public host)`);
  }
  return { protocol: url.protocol, host: url.host, path: url.pathname };
}

export function permission(allowList: readonly AllowedUrl[], url: URL): UrlPermission {
  let anyAllowed = false;
  for (const entry of allowList) {
    if (entry.protocol !== url.protocol || !underPath(url.pathname, entry.path)) continue;
    if (entry.host === undefined) anyAllowed = true;
    else if (entry.host === url.host) return { allowed: true, anyAddress: true };
  }
  return anyAllowed ? { allowed: true, anyAddress: false } : { allowed: false };
}

function underPath(path: string, prefix: string): boolean {
  return prefix.endsWith('/') ? path.startsWith(prefix) : path === prefix || path.startsWith(`${prefix}/`);
}
