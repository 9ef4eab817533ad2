// Keyset pagination: the page after a cursor starts right after the last row of the page before it, found
// through the sort's index, where an offset reads and throws away every row before the page. A cursor is
// opaque to clients: the sort it was made for, the last row's sort value and its id.
import { sql, type Expression, type SqlBool } from 'kysely';
import { invalid } from '../errors.js';
import type { SortKey } from './list-query.js';

export interface KeysetPosition {
  value: unknown;
  id: string;
}

type Encoded = [sort: string, value: unknown, id: string];

const encodeValue = (value: unknown) => (value instanceof Date ? { t: value.toISOString() } : value);
const decodeValue = (value: unknown) =>
  value !== null && typeof value === 'object' && typeof (value as { t?: unknown }).t === 'string' ? new Date((value as { t: string }).t) : value;

export function encodeCursor(sort: string, position: KeysetPosition): string {
  const encoded: Encoded = [sort, encodeValue(position.value), position.id];
  return Buffer.from(JSON.stringify(encoded)).toString('base64url');
}

/** The position a cursor names, if it was made for this sort; anything else is a client error. */
export function decodeCursor(cursor: string, sort: string): KeysetPosition {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = undefined;
  }
  const valid = Array.isArray(decoded) && decoded.length === 3 && typeof decoded[0] === 'string' && typeof decoded[2] === 'string'
    && (decoded[1] === null || ['string', 'number', 'object'].includes(typeof decoded[1]));
  if (!valid) throw invalid('cursor is not one this list answered as next_cursor', { cursor });
  const [madeFor, value, id] = decoded as Encoded;
  if (madeFor !== sort) throw invalid(`cursor was made for sort '${madeFor}'; send the same sort with it`, { cursor, sort });
  const position = { value: decodeValue(value), id };
  if (position.value instanceof Date && Number.isNaN(position.value.getTime())) throw invalid('cursor is not one this list answered as next_cursor', { cursor });
  return position;
}

/**
 * The rows after `position` in the order `sort` then `id` ascending, with PostgreSQL's placement of NULLs
 * (last ascending, first descending). The redundant bound on the sort value lets an index on it start there.
 */
export function afterPosition(sort: SortKey, idColumn: string, position: KeysetPosition): Expression<SqlBool> {
  const e = sort.expression;
  const id = sql.ref(idColumn);
  const v = position.value;
  if (sort.direction === 'asc') {
    return v === null
      ? sql<SqlBool>`(${e} is null and ${id} > ${position.id})`
      : sql<SqlBool>`((${e} >= ${v} and (${e} > ${v} or ${id} > ${position.id})) or ${e} is null)`;
  }
  return v === null
    ? sql<SqlBool>`(${e} is not null or ${id} > ${position.id})`
    : sql<SqlBool>`(${e} <= ${v} and (${e} < ${v} or ${id} > ${position.id}))`;
}
