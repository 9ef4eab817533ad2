// GET /events (a page after an id) and GET /events/stream (server-sent events, resumable).
import type { EventQuery } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { permit } from '../../auth/permissions.js';
import { EventStream, type EventFilter, type StreamLimits } from './event-stream.js';
import { listSchema, streamSchema } from './schemas.js';

interface Filters {
  after?: string;
  types?: string;
  process_instance_id?: string;
  process_definition_key?: string;
}

const filterOf = (query: Filters): EventFilter => ({
  types: query.types?.split(',').map((t) => t.trim()).filter(Boolean),
  process_instance_id: query.process_instance_id,
  process_definition_key: query.process_definition_key,
});

const mayRead = permit('events:read');

export const STREAM_LIMITS: StreamLimits = { heartbeatMs: 15_000, maxBufferedBytes: 1024 * 1024 };

export async function eventRoutes(app: FastifyInstance, options: { stream?: Partial<StreamLimits> }): Promise<void> {
  const limits = { ...STREAM_LIMITS, ...options.stream };
  const streams = new Set<EventStream>();
  // open streams would hold the server open: they end first, and their clients reconnect elsewhere
  app.addHook('preClose', async () => {
    for (const stream of streams) stream.end();
  });

  app.get<{ Querystring: Filters & { limit?: number } }>('', { config: mayRead, schema: listSchema }, async (request) => {
    const query: EventQuery = { ...filterOf(request.query), after: request.query.after, limit: request.query.limit };
    return request.engine.listEvents(query);
  });

  app.get<{ Querystring: Filters; Headers: { 'last-event-id'?: string } }>('/stream', { config: mayRead, schema: streamSchema }, async (request, reply) => {
    const engine = request.engine;
    const after = request.headers['last-event-id'] || request.query.after;
    reply.hijack();
    reply.raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive',
      'x-accel-buffering': 'no', 'x-request-id': request.id,
    });
    const stream = new EventStream(reply.raw, filterOf(request.query), after, limits);
    streams.add(stream);
    const unsubscribe = engine.subscribeEvents((events) => stream.published(events));
    reply.raw.on('close', () => {
      unsubscribe();
      streams.delete(stream);
    });
    reply.raw.write(': connected\n\n');
    try {
      await stream.catchUp(engine);
    } catch (err) {
      request.log.warn({ err }, 'the event stream could not read the kept events');
      stream.end();
    }
  });
}
