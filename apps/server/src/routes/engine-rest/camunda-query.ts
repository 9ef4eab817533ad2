// What Camunda 7's query parameters share, in a query string (lists comma-separated) or a POST body (lists
// as arrays, the sort also as a `sorting` list) alike.
import { EngineError } from '@dadms/process-engine';
import type { CamundaPaging } from './paging.js';
import { refuseUnsupported } from './unsupported-options.js';

/** the fields a query gives: Camunda's clients send null for those they leave out */
export const given = <T extends object>(fields: { [K in keyof T]: T[K] | null }): Partial<T> =>
  Object.fromEntries(Object.entries(fields).filter(([, value]) => value != null)) as Partial<T>;

/** a Camunda list filter: an array in a body, comma-separated in a query string */
export function listFilter(value: string | string[] | null | undefined): string[] | undefined {
  if (value === null || value === undefined) return undefined;
  return typeof value === 'string' ? value.split(',') : value;
}

/** the one value of a Camunda list filter: the engine's lists filter by a single value of each */
export function onlyValue(name: string, list: unknown): string | undefined {
  if (list === undefined || list === null) return undefined;
  const values = (Array.isArray(list) ? list.map(String) : String(list).split(',')).filter((value) => value !== '');
  if (values.length > 1) throw new EngineError('VALIDATION_ERROR', `${name} with more than one value is not supported by this engine`);
  return values[0];
}

/** the one tenant of a `tenantIdIn` */
export const singleTenant = (tenantIdIn: string | string[] | null | undefined): string | undefined => onlyValue('tenantIdIn', tenantIdIn);

export interface PostedSorting {
  sortBy?: string | null;
  sortOrder?: string | null;
  sorting?: { sortBy?: string | null; sortOrder?: string | null; parameters?: unknown }[] | null;
}

/** the sort of a POSTed query: `sortBy` and `sortOrder`, or a `sorting` list of one, since the engine sorts by one field */
export function postedSort({ sortBy, sortOrder, sorting }: PostedSorting): Pick<CamundaPaging, 'sortBy' | 'sortOrder'> {
  const sorts: NonNullable<PostedSorting['sorting']> = [...(sortBy != null || sortOrder != null ? [{ sortBy, sortOrder }] : []), ...(sorting ?? [])];
  if (sorts.length > 1) throw new EngineError('VALIDATION_ERROR', 'sorting by more than one field is not supported by this engine');
  const [sort = {}] = sorts;
  refuseUnsupported(sort, ['parameters'], 'sorting: ');
  return { ...(sort.sortBy != null ? { sortBy: sort.sortBy } : {}), ...(sort.sortOrder != null ? { sortOrder: sort.sortOrder } : {}) };
}
