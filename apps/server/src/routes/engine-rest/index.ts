// Camunda 7's REST API at /engine-rest, for the part of it that workers use: its external task endpoints.
// It answers as Camunda does: its field names, its error body `{ type, message }` with Camunda's statuses
// (a worker that does not hold the lock is a 400 there), and a content type of exactly
// `application/json`, which Camunda's JavaScript client needs to read an answer as JSON.
import type { FastifyError, FastifyInstance } from 'fastify';
import type { AuthConfig } from '../../config.js';
import { registerAuthentication } from '../../auth/authentication.js';
import { errorAnswer } from '../../plugins/errors.js';
import { requireEngine } from '../../plugins/engine.js';
import { camundaExternalTaskRoutes } from './external-tasks.js';

export const ENGINE_REST_PREFIX = '/engine-rest';

/** our error code → Camunda's status and exception type */
const CAMUNDA_ERRORS: Readonly<Record<string, readonly [number, string]>> = {
  VALIDATION_ERROR: [400, 'InvalidRequestException'],
  CONFLICT: [400, 'BadUserRequestException'],
  NOT_FOUND: [404, 'InvalidRequestException'],
  UNAUTHENTICATED: [401, 'AuthenticationException'],
  FORBIDDEN: [403, 'AuthorizationException'],
  PAYLOAD_TOO_LARGE: [413, 'InvalidRequestException'],
  UNSUPPORTED_MEDIA_TYPE: [415, 'InvalidRequestException'],
  UNAVAILABLE: [503, 'RestException'],
};

export async function engineRestRoutes(app: FastifyInstance, options: { auth: AuthConfig }): Promise<void> {
  app.addHook('onRequest', requireEngine);
  registerAuthentication(app, options.auth);
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const { status, body } = errorAnswer(err, request);
    const [camundaStatus, type] = CAMUNDA_ERRORS[body.error.code] ?? [status, 'RestException'];
    return reply.code(camundaStatus).send({ type, message: body.error.message });
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('application/json')) reply.header('content-type', 'application/json');
    return payload;
  });
  await app.register(camundaExternalTaskRoutes, { prefix: '/external-task' });
}
