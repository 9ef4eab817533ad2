// /signals: broadcast a signal to everything that waits for it.
import type { SignalInput } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { permit } from '../../auth/permissions.js';
import { broadcastSchema } from './schemas.js';

const maySend = permit('signals:send');

export async function signalRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: SignalInput }>('', { config: maySend, schema: broadcastSchema }, async (request) => ({
    data: await request.engine.broadcastSignal(request.body),
  }));
}
