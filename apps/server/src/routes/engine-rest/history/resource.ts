// A resource of Camunda's history as a Camunda list: `GET <path>` with the query in the query string,
// `GET <path>/count`, and where Camunda has them `POST <path>` and `POST <path>/count` with the query in
// the body. Filters Camunda has and the engine cannot serve are refused by name, whichever way they come.
import type { Engine } from '@dadms/process-engine';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { permit, type Permission } from '../../../auth/permissions.js';
import { postedSort, type PostedSorting } from '../camunda-query.js';
import type { ListRead } from '../lists.js';
import { historyReads, type HistoryReads } from './reads.js';
import { historySchemas, type HistoryDescription } from './schemas.js';
import { camundaCount, camundaList, type CamundaPaging } from '../paging.js';
import { refuseUnsupported } from '../unsupported-options.js';

export interface HistoryResource<Query extends object, Row> extends HistoryDescription {
  path: string;
  permission: Permission;
  /** Camunda has the query by POST too */
  post: boolean;
  /** the engine's list of the rows the query finds, and Camunda's sorts → the list's */
  rows(engine: Engine, reads: HistoryReads, query: Query): { list: ListRead<Row>; sortable: Readonly<Record<string, string>> };
  /** a row as Camunda's DTO */
  answer(reads: HistoryReads, row: Row): unknown;
}

export function registerHistoryResource<Query extends object, Row>(app: FastifyInstance, resource: HistoryResource<Query, Row>): void {
  const config = permit(resource.permission);
  const schemas = historySchemas(resource);
  const rowsOf = (request: FastifyRequest, query: Query) => {
    refuseUnsupported(query, resource.filters.unsupported);
    const reads = historyReads(request.engine);
    return { reads, ...resource.rows(request.engine, reads, query) };
  };
  const list = async (request: FastifyRequest, query: Query, paging: CamundaPaging) => {
    const { reads, list: rows, sortable } = rowsOf(request, query);
    return Promise.all((await camundaList(paging, sortable, rows)).map((row) => resource.answer(reads, row)));
  };
  const count = async (request: FastifyRequest, query: Query) => camundaCount(rowsOf(request, query).list);
  // the schemas shape the query and the body; their types here are the resource's own
  const queryOf = (request: FastifyRequest) => request.query as Query & CamundaPaging;
  const bodyOf = (request: FastifyRequest) => (request.body ?? {}) as Query & PostedSorting;

  app.get(resource.path, { config, schema: schemas.list }, (request) => list(request, queryOf(request), queryOf(request)));
  app.get(`${resource.path}/count`, { config, schema: schemas.count }, (request) => count(request, queryOf(request)));
  if (!resource.post) return;
  app.post(resource.path, { config, schema: schemas.postList }, (request) => list(request, bodyOf(request), { ...queryOf(request), ...postedSort(bodyOf(request)) }));
  app.post(`${resource.path}/count`, { config, schema: schemas.postCount }, (request) => count(request, bodyOf(request)));
}

/** the answer of a resource whose rows are Camunda's DTOs already */
export const asIs = <Row>(_reads: HistoryReads, row: Row): Row => row;
