// The management UI: the static files apps/web builds, served at `/` beside the API. Only the files the
// build made are routes (no wildcard), so every other path keeps the API's own JSON 404.
import { existsSync } from 'node:fs';
import { join, sep } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { errorBody } from '../http-errors.js';

/** Vite names what it writes under assets/ by content hash, so those never change; index.html always may. */
const cacheControl = (path: string): string => (path.includes(`${sep}assets${sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');

export async function registerWebUi(app: FastifyInstance, root: string): Promise<void> {
  if (!existsSync(join(root, 'index.html'))) {
    app.log.warn({ root }, 'the management UI is not built (npm run build): GET / explains how to build it');
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply.code(404).send(errorBody('NOT_FOUND', 'The management UI has not been built: run `npm run build` (npm start does it), then restart')));
    return;
  }
  await app.register(fastifyStatic, {
    root,
    wildcard: false,
    index: ['index.html'],
    setHeaders: (reply, path) => reply.header('cache-control', cacheControl(path)),
  });
}
