// The bearer token the UI sends when the service has authentication on. It is pasted into the sign-in
// form or handed over in the URL fragment (`#token=…` or `#access_token=…`), which never reaches a server log.
const STORAGE_KEY = 'process-manager.token';

export function readToken(): string | undefined {
  return localStorage.getItem(STORAGE_KEY) ?? undefined;
}

export function storeToken(token: string): void {
  localStorage.setItem(STORAGE_KEY, token.trim());
}

export function clearToken(): void {
  localStorage.removeItem(STORAGE_KEY);
}

/** Keeps a token found in the fragment and takes it out of the address bar (and of the history). */
export function takeTokenFromFragment(): void {
  const match = /^#(?:access_)?token=([^&]+)/.exec(location.hash);
  if (!match) return;
  storeToken(decodeURIComponent(match[1]!));
  location.replace(`${location.pathname}${location.search}#/`);
}
