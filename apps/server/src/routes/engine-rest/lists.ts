// Lists that a Camunda query asks for in one piece but the engine answers in several (one per status) or
// not at all (the activities or variables of one instance, read whole): merged or paged here, in the
// order the engine itself would give, so that each page follows on from the one before.
import type { Page, PageQuery } from '@dadms/process-engine';

export type ListRead<T> = (page: PageQuery) => Promise<Page<T>>;
type SortValue = number | string | undefined;
/** the engine's sort field → the value of a row it sorts by */
export type SortValues<T> = Readonly<Record<string, (row: T) => SortValue>>;

/** the most rows the engine answers in one page */
const ENGINE_PAGE = 1000;

/**
 * The engine's order for `sort` (`field` or `-field`): by the value, a missing one last going up and first
 * going down as PostgreSQL puts nulls, then by id.
 */
export function rowOrder<T extends { id: string }>(sort: string, values: SortValues<T>): (a: T, b: T) => number {
  const descending = sort.startsWith('-');
  const valueOf = values[descending ? sort.slice(1) : sort]!;
  const ascending = (x: SortValue, y: SortValue) => (x === y ? 0 : x === undefined ? 1 : y === undefined ? -1 : x < y ? -1 : 1);
  return (a, b) => {
    const byValue = ascending(valueOf(a), valueOf(b));
    return (descending ? -byValue : byValue) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  };
}

/** the rows in memory as a list: in the order given unless a sort is asked */
export function listOf<T extends { id: string }>(rows: readonly T[], values: SortValues<T>): ListRead<T> {
  return async ({ offset = 0, limit = ENGINE_PAGE, sort }) => {
    const ordered = sort === undefined ? rows : [...rows].sort(rowOrder(sort, values));
    return { data: ordered.slice(offset, offset + limit), total: rows.length, offset, limit };
  };
}

/**
 * One list of the lists `reads`, which the engine answers apart and sorts alike by `sort`: each is read
 * up to the end of the page asked, and the rows merged. Only sorts by numbers and times, which compare
 * here as in the database.
 */
export function mergedList<T extends { id: string }>(reads: readonly ListRead<T>[], values: SortValues<T>, sort: string): ListRead<T> {
  return async ({ offset = 0, limit = ENGINE_PAGE }) => {
    const parts = await Promise.all(reads.map((read) => headOf(read, offset + limit, sort)));
    const merged = parts.flatMap((part) => part.rows).sort(rowOrder(sort, values));
    return { data: merged.slice(offset, offset + limit), total: parts.reduce((sum, part) => sum + part.total, 0), offset, limit };
  };
}

/** the first `count` rows of a list, read a page of the engine's at a time */
async function headOf<T>(read: ListRead<T>, count: number, sort: string): Promise<{ rows: T[]; total: number }> {
  const rows: T[] = [];
  for (;;) {
    const limit = Math.min(ENGINE_PAGE, count - rows.length);
    const page = await read({ offset: rows.length, limit, sort });
    rows.push(...page.data);
    if (page.data.length < limit || rows.length >= count) return { rows, total: page.total };
  }
}

/** a list of nothing, for a query that cannot match */
export const noRows = async <T>({ offset = 0, limit = ENGINE_PAGE }: PageQuery): Promise<Page<T>> => ({ data: [], total: 0, offset, limit });
