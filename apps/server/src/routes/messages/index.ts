// /messages: correlate a message to what waits for it, or start an instance with it.
import { EngineError, type CorrelateMessageInput } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { permit } from '../../auth/permissions.js';
import { assertEngineId } from '../id-param.js';
import { correlateSchema } from './schemas.js';

const maySend = permit('messages:send');

export async function messageRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: CorrelateMessageInput }>('', { config: maySend, schema: correlateSchema }, async (request) => {
    const { message_name, process_instance_id, all } = request.body;
    assertEngineId('Process instance', process_instance_id);
    const delivered = await request.engine.correlateMessage(request.body);
    if (all) return { data: delivered };
    const [first] = delivered;
    if (!first) throw new EngineError('NOT_FOUND', `Nothing waits for message '${message_name}'`);
    return first;
  });
}
