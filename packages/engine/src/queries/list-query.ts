// What every list query shares: paging (API.md: limit default 50, at most 1000), sorting (`sort=field`
// ascending, `sort=-field` descending, over the fields each list names) and time filters.
import type { Expression } from 'kysely';
import type { PageQuery } from '../api/engine.js';
import type { Page } from '../api/types.js';
import { invalid } from '../errors.js';

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 1000;

export interface PageWindow {
  limit: number;
  offset: number;
}

export function pageWindow(query: PageQuery): PageWindow {
  const limit = query.limit ?? DEFAULT_LIMIT;
  const offset = query.offset ?? 0;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) {
    throw invalid(`limit must be an integer from 1 to ${MAX_LIMIT}`, { limit });
  }
  // past 2^53 a number no longer names one row, and the database refuses the text JavaScript writes for it
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw invalid(`offset must be an integer from 0 to ${Number.MAX_SAFE_INTEGER}`, { offset });
  }
  return { limit, offset };
}

export const toPage = <T>(data: T[], total: number, window: PageWindow): Page<T> => ({ data, total, ...window });

/**
 * A page that came back short holds the last of the list: its total is the rows before it and those on it,
 * with no count to run. Only a full page, or an empty one past the start, needs `count`.
 */
export function pageTotal(window: PageWindow, rows: number, count: () => Promise<number>): Promise<number> {
  const last = rows < window.limit && (rows > 0 || window.offset === 0);
  return last ? Promise.resolve(window.offset + rows) : count();
}

export interface SortKey {
  /** as the query wrote it, or the list's default */
  spec: string;
  /** the wire field */
  name: string;
  expression: Expression<unknown>;
  direction: 'asc' | 'desc';
}

/**
 * Resolves `sort` against the fields a list allows (wire name → SQL expression). Unknown fields are a
 * client error, not something to ignore silently.
 */
export function sortKey(sort: string | undefined, fields: Record<string, Expression<unknown>>, fallback: string): SortKey {
  const spec = sort === undefined || sort === '' ? fallback : sort;
  const descending = spec.startsWith('-');
  const name = descending ? spec.slice(1) : spec;
  const expression = Object.hasOwn(fields, name) ? fields[name] : undefined;
  if (!expression) throw invalid(`Cannot sort by '${name}'; sortable fields: ${Object.keys(fields).join(', ')}`, { sort });
  return { spec, name, expression, direction: descending ? 'desc' : 'asc' };
}

/** A time filter from a query string: any ISO 8601 text JavaScript reads; anything else is a client error. */
export function timeParam(name: string, value: string): Date {
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw invalid(`${name} must be an ISO 8601 date-time`, { [name]: value });
  return date;
}
