// The engine as the routes see it. The app is built and answers at once; the engine arrives later (its
// migrations run first), and until then every API call is a 503 UNAVAILABLE. The app owns the engine's
// lifecycle from then on: closing the app closes the engine, even one that arrives after the close.
import { EngineError, type Engine } from '@dadms/process-engine';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { errorBody } from '../http-errors.js';

type EngineStatus = 'starting' | 'ready' | 'failed';

declare module 'fastify' {
  interface FastifyInstance {
    /** the ready engine; throws UNAVAILABLE while it starts */
    readonly engine: Engine;
    readonly engineStatus: EngineStatus;
  }
}

export function registerEngine(app: FastifyInstance, pending: Promise<Engine>): void {
  let engine: Engine | undefined;
  let status: EngineStatus = 'starting';
  let closed = false;

  pending.then(
    (ready) => {
      if (closed) {
        ready.close().catch((err: unknown) => app.log.error({ err }, 'closing the engine failed'));
        return;
      }
      engine = ready;
      status = 'ready';
      app.log.info('engine ready');
    },
    (err: unknown) => {
      status = 'failed';
      // A start given up because the app closed is no failure worth reporting.
      if (!closed) app.log.error({ err }, 'the engine could not be started');
    },
  );

  app.decorate('engine', {
    getter(): Engine {
      if (!engine) throw new EngineError('UNAVAILABLE', 'The engine is not ready');
      return engine;
    },
  });
  app.decorate('engineStatus', { getter: (): EngineStatus => status });

  app.addHook('onClose', async () => {
    closed = true;
    const open = engine;
    engine = undefined;
    if (open) await open.close();
  });
}

/** onRequest hook of the API routes: answers 503 before the request body is even read. */
export async function requireEngine(this: FastifyInstance, _request: FastifyRequest, reply: FastifyReply) {
  if (this.engineStatus === 'ready') return;
  const message = this.engineStatus === 'starting' ? 'The service is starting; try again shortly' : 'The service could not start its engine';
  return reply.code(503).header('retry-after', '5').send(errorBody('UNAVAILABLE', message));
}
