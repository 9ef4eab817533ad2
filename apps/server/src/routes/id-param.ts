import { EngineError, isEngineId } from '@dadms/process-engine';
import type { FastifyRequest } from 'fastify';

/** An id not in the engine's format cannot name anything: a 404 at once, never a query with a malformed key. */
export function assertEngineId(what: string, id: string | undefined): void {
  if (id !== undefined && !isEngineId(id)) throw new EngineError('NOT_FOUND', `${what} '${id}' does not exist`);
}

/** preValidation hook of a resource's routes, for their `:id`. */
export const requireEngineIdParam = (what: string) => async (request: FastifyRequest): Promise<void> =>
  assertEngineId(what, (request.params as { id?: string }).id);
