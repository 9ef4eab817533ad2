// A postgres.js client for a connection URL as libpq reads it. libpq (psql, pg_dump, most drivers) names
// the server's host in the URL's query too, `?host=/run/postgresql` for the directory of a Unix socket.
// postgres.js reads a host only from the URL's authority, which cannot hold a path, and sends a `host`
// parameter of the query to the server as a setting, which refuses it: the host is handed over as its option.
import type { Options, PostgresType, Sql } from 'postgres';
import { importPeer } from '../util/peer-dependency.js';

type ClientOptions = Options<Record<string, PostgresType>>;

/** the URL without a `host` of its query, and that host (a socket's directory, or a host name), if it had one */
export function libpqHost(databaseUrl: string): { url: string; host?: string } {
  const query = databaseUrl.indexOf('?');
  if (query < 0) return { url: databaseUrl };
  const params = new URLSearchParams(databaseUrl.slice(query + 1));
  const host = params.get('host');
  if (host === null) return { url: databaseUrl };
  params.delete('host');
  const rest = params.toString();
  // an authority with no host at all (`postgres:///db`, `postgres://user@/db`), which libpq allows when the query
  // names it, is no URL to WHATWG's parser: the host option overrides the one written in its place
  const base = databaseUrl.slice(0, query).replace(/^([a-z]+:\/\/(?:[^/@]*@)?)(?=[/:]|$)/i, '$1localhost');
  return { url: rest ? `${base}?${rest}` : base, host: host || undefined };
}

/** a client of the server the URL names, through a Unix socket when its query names the socket's directory */
export async function postgresClient(databaseUrl: string, options: ClientOptions = {}): Promise<Sql> {
  const { default: postgres } = await importPeer<{ default: typeof import('postgres') }>('postgres');
  const { url, host } = libpqHost(databaseUrl);
  return postgres(url, host === undefined ? options : { ...options, host });
}
