// Camunda 7's REST API at /engine-rest, for the parts that workers, applications and Camunda Modeler call:
// external tasks, deployments, starting instances and correlating messages, the process instances and
// definitions of the runtime (processes/), user tasks (tasks/), jobs and incidents (runtime/) and the history (history/).
// It answers as Camunda does:
// its field names, its error body `{ type, message }` with Camunda's statuses (a worker that does not
// hold the lock is a 400 there, a model that does not parse a 400 `ParseException` whose message
// Modeler shows), and a content type of exactly `application/json`, which Camunda's JavaScript client
// needs to read an answer as JSON.
import type { FastifyError, FastifyInstance } from 'fastify';
import type { AuthConfig } from '../../config.js';
import { permit } from '../../auth/permissions.js';
import { registerAuthentication } from '../../auth/authentication.js';
import { errorAnswer } from '../../plugins/errors.js';
import { requireEngine } from '../../plugins/engine.js';
import { camundaDeploymentRoutes } from './deployments/index.js';
import { camundaExternalTaskRoutes } from './external-tasks.js';
import { camundaHistoryRoutes } from './history/index.js';
import { camundaProcessRoutes } from './processes/index.js';
import { camundaJobAndIncidentRoutes } from './runtime/index.js';
import { versionSchema } from './schemas.js';
import { camundaStartAndMessageRoutes } from './starts-and-messages.js';
import { camundaTaskRoutes } from './tasks/index.js';

/** the Camunda 7 release whose REST API these endpoints follow (Camunda Modeler reads it to choose what to send) */
const CAMUNDA_REST_VERSION = '7.22.0';

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

/** Camunda's message for a model that does not parse, which Camunda Modeler recognises and shows */
function parseMessage(problems: readonly { element_id: string | null; message: string }[]): string {
  return `ENGINE-09005 Could not parse BPMN process. Errors: ${problems.map((p) => `\n* ${p.message}${p.element_id ? ` | ${p.element_id}` : ''}`).join('')}`;
}

export async function engineRestRoutes(app: FastifyInstance, options: { auth: AuthConfig; deployBodyBytes: number }): Promise<void> {
  app.addHook('onRequest', requireEngine);
  registerAuthentication(app, options.auth);
  app.setErrorHandler((err: FastifyError, request, reply) => {
    const { status, body } = errorAnswer(err, request);
    const problems = body.error.details?.problems as Parameters<typeof parseMessage>[0] | undefined;
    if ((body.error.code === 'INVALID_BPMN' || body.error.code === 'INVALID_DMN') && problems) {
      return reply.code(400).send({ type: 'ParseException', message: body.error.code === 'INVALID_BPMN' ? parseMessage(problems) : body.error.message });
    }
    const [camundaStatus, type] = CAMUNDA_ERRORS[body.error.code] ?? [status, 'RestException'];
    return reply.code(camundaStatus).send({ type, message: body.error.message });
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('application/json')) reply.header('content-type', 'application/json');
    return payload;
  });
  app.get('/version', { config: permit('definitions:read'), schema: versionSchema }, async () => ({ version: CAMUNDA_REST_VERSION }));
  await app.register(camundaExternalTaskRoutes, { prefix: '/external-task' });
  await app.register(camundaDeploymentRoutes, { prefix: '/deployment', deployBodyBytes: options.deployBodyBytes });
  await app.register(camundaStartAndMessageRoutes);
  await app.register(camundaProcessRoutes);
  await app.register(camundaHistoryRoutes, { prefix: '/history' });
  await app.register(camundaTaskRoutes, { prefix: '/task' });
  await app.register(camundaJobAndIncidentRoutes);
}
