// Who works the tasks in this browser. With a token, its claims say (`sub`, `groups`); without
// authentication on the service, the person names themselves, and the name is kept in this browser.
import { useEffect, useState } from 'preact/hooks';
import { readToken } from './api/token.js';

export interface User {
  id: string;
  groups: string[];
  /** from the token's claims, so not editable here */
  fromToken: boolean;
}

const STORAGE_KEY = 'process-manager.user';
const DEFAULT_USER: User = { id: 'demo', groups: [], fromToken: false };
const listeners = new Set<() => void>();

function claims(token: string): { sub?: unknown; groups?: unknown } | undefined {
  try {
    const payload = token.split('.')[1]!.replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(atob(payload)) as { sub?: unknown; groups?: unknown };
  } catch {
    return undefined;
  }
}

export function currentUser(): User {
  const token = readToken();
  const fromToken = token === undefined ? undefined : claims(token);
  if (typeof fromToken?.sub === 'string') {
    const groups = Array.isArray(fromToken.groups) ? fromToken.groups.filter((g): g is string => typeof g === 'string') : [];
    return { id: fromToken.sub, groups, fromToken: true };
  }
  try {
    const stored = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? 'null') as { id?: unknown; groups?: unknown } | null;
    if (typeof stored?.id === 'string' && stored.id !== '' && Array.isArray(stored.groups)) {
      return { id: stored.id, groups: stored.groups.filter((g): g is string => typeof g === 'string'), fromToken: false };
    }
  } catch {
    // an unreadable entry counts as none
  }
  return DEFAULT_USER;
}

export function setLocalUser(id: string, groups: string[]): void {
  localStorage.setItem(STORAGE_KEY, JSON.stringify({ id, groups }));
  for (const listener of listeners) listener();
}

export function useUser(): User {
  const [user, setUser] = useState(currentUser);
  useEffect(() => {
    const update = () => setUser(currentUser());
    listeners.add(update);
    return () => { listeners.delete(update); };
  }, []);
  return user;
}
