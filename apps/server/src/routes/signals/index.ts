// /signals: broadcast a signal to everything that waits for it.
import type { SignalInput } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { broadcastSchema } from './schemas.js';

export async function signalRoutes(app: FastifyInstance): Promise<void> {
  app.post<{ Body: SignalInput }>('', { config: { permission: 'signals:send' }, schema: broadcastSchema }, async (request) => ({
    data: await request.engine.broadcastSignal(request.body),
  }));
}
