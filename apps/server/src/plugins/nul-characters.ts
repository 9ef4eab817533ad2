// PostgreSQL's text and jsonb hold no U+0000 ("invalid byte sequence for encoding"), and no field of this
// API has a use for it: a query, path or body that carries one is a 400 naming the field, before any of
// it reaches the engine. Runs after the body is parsed and validated, so every body format is covered.
import { EngineError } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';

const NUL = '\u0000';
const PROBLEM = 'must not contain a NUL character (U+0000)';

/** The JSON pointer to the first string or key holding a NUL, or undefined. */
function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes(NUL) ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    const itemPath = `${path}/${key.replaceAll(NUL, '\\u0000')}`;
    if (key.includes(NUL)) return itemPath;
    const found = nulPath(item, itemPath);
    if (found !== undefined) return found;
  }
  return undefined;
}

export function registerNulCharacterCheck(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    const parts = [['querystring', request.query], ['params', request.params], ['body', request.body]] as const;
    for (const [location, value] of parts) {
      const path = nulPath(value, '');
      if (path === undefined) continue;
      throw new EngineError('VALIDATION_ERROR', `${location}${path} ${PROBLEM}`, {
        details: { errors: [{ location, path, keyword: 'nul', message: PROBLEM }] },
      });
    }
  });
}
