// Camunda 7's lists page with `firstResult` and `maxResults` and sort with `sortBy` and `sortOrder`; they
// answer a plain array, and their `/count` siblings `{ count }`. A Camunda list without `maxResults` is
// unbounded; here a list answers at most MAX_RESULTS rows, and one that asks for all of more than that is
// refused by name rather than cut short, as Camunda does once `queryMaxResultsLimit` is set.
import { EngineError, type Page, type PageQuery } from '@dadms/process-engine';

export const MAX_RESULTS = 1000;

export interface CamundaPaging {
  firstResult?: number;
  maxResults?: number;
  sortBy?: string;
  sortOrder?: string;
}

/** the querystring properties of a Camunda list, for its schema */
export const pagingProperties = {
  firstResult: { type: 'integer', minimum: 0, description: 'the index of the first row to answer' },
  maxResults: { type: 'integer', minimum: 0, maximum: MAX_RESULTS, description: `how many rows to answer at most; without it, all of them, and a 400 when there are more than ${MAX_RESULTS}` },
  sortBy: { type: 'string' },
  sortOrder: { type: 'string', enum: ['asc', 'desc'] },
} as const;

/**
 * Answers the rows a Camunda list asks for: `list` is the engine's list with the filters already given, and
 * `sortable` maps Camunda's `sortBy` values to the engine's sort fields.
 */
export async function camundaList<T>(
  paging: CamundaPaging,
  sortable: Readonly<Record<string, string>>,
  list: (page: PageQuery) => Promise<Page<T>>,
): Promise<T[]> {
  const sort = sortOf(paging, sortable);
  if (paging.maxResults === 0) return [];
  const unbounded = paging.maxResults === undefined;
  const page = await list({ offset: paging.firstResult ?? 0, limit: unbounded ? MAX_RESULTS : paging.maxResults, ...(sort ? { sort } : {}) });
  if (unbounded && page.total > (paging.firstResult ?? 0) + page.data.length) {
    throw new EngineError('VALIDATION_ERROR', `The query matches ${page.total} rows, more than the ${MAX_RESULTS} a list answers at once: page through them with firstResult and maxResults`);
  }
  return page.data;
}

/** how many rows a Camunda `/count` finds: the engine counts the total of any page that is full */
export async function camundaCount<T>(list: (page: PageQuery) => Promise<Page<T>>): Promise<{ count: number }> {
  return { count: (await list({ limit: 1, offset: 0 })).total };
}

function sortOf({ sortBy, sortOrder }: CamundaPaging, sortable: Readonly<Record<string, string>>): string | undefined {
  if ((sortBy === undefined) !== (sortOrder === undefined)) {
    throw new EngineError('VALIDATION_ERROR', 'Only a single sorting parameter specified. sortBy and sortOrder required');
  }
  if (sortBy === undefined) return undefined;
  const field = Object.hasOwn(sortable, sortBy) ? sortable[sortBy] : undefined;
  if (field === undefined) {
    throw new EngineError('VALIDATION_ERROR', `Cannot sort by '${sortBy}': this list sorts by ${Object.keys(sortable).join(', ') || 'nothing'}`);
  }
  return sortOrder === 'desc' ? `-${field}` : field;
}
