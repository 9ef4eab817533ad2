// The one way the UI reaches the service: the REST API under /api/processes, with the stored bearer
// token when there is one. Every failure becomes an ApiError carrying the API's code and sentence.
import { readToken } from './token.js';

export { searchString as query } from '../search-params.js';

export const API_BASE = '/api/processes';

export interface ErrorDetails {
  /** what a deployment, a form or a migration found wrong: by element, field or activity (of an instance) */
  problems?: { element_id?: string | null; field?: string; activity_id?: string | null; process_instance_id?: string; message: string }[];
  [key: string]: unknown;
}

export class ApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details?: ErrorDetails) {
    super(message);
    this.name = 'ApiError';
  }
}

const unauthenticatedListeners = new Set<() => void>();

/** Called whenever the service answers 401: the UI then asks for a token. */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

type Body = Record<string, unknown> | unknown[] | FormData;

/** the signed-in user's token, as every request to the API carries it */
export function authHeaders(): Record<string, string> {
  const token = readToken();
  return token ? { authorization: `Bearer ${token}` } : {};
}

export async function api<T>(method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: Body): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json', ...authHeaders() };
  let payload: BodyInit | undefined;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers['content-type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  let response: Response;
  try {
    response = await fetch(`${API_BASE}${path}`, { method, headers, body: payload });
  } catch {
    throw new ApiError(0, 'NETWORK', 'The service cannot be reached. Check that it is running, then try again.');
  }
  const text = await response.text();
  const parsed: unknown = text === '' ? undefined : safeJson(text);
  if (response.ok) return parsed as T;
  if (response.status === 401) for (const listener of unauthenticatedListeners) listener();
  const error = (parsed as { error?: { code?: string; message?: string; details?: ErrorDetails } } | undefined)?.error;
  throw new ApiError(response.status, error?.code ?? `HTTP_${response.status}`, error?.message ?? `The service answered ${response.status} ${response.statusText}`, error?.details);
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
