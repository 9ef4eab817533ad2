// Camunda 7's runtime jobs (`/job`) and incidents (`/incident`): listed, counted and read as Camunda's
// queries do, a job's retries and due date set and the job run at once, an incident's annotation set and cleared, and
// a custom incident resolved. Refusals carry Camunda's status and exception type for the endpoint.
import type { FastifyInstance } from 'fastify';
import { permit } from '../../../auth/permissions.js';
import { actingUser } from '../../../identity.js';
import { answerCamundaFailures } from '../camunda-failure.js';
import { registerHistoryResource } from '../history/resource.js';
import { refuseUnsupported } from '../unsupported-options.js';
import { annotate, incidentById, resolveCustom } from './incident-commands.js';
import { incidentResource } from './incidents.js';
import { executeNow, jobById, setDueDate, setRetries } from './job-commands.js';
import { jobResource } from './jobs.js';
import {
  clearAnnotationSchema, dueDateSchema, executeSchema, incidentSchema, jobSchema, resolveSchema, retriesSchema, setAnnotationSchema,
} from './schemas.js';

type Id = { id: string };

export async function camundaJobAndIncidentRoutes(app: FastifyInstance): Promise<void> {
  answerCamundaFailures(app);
  registerHistoryResource(app, jobResource);
  registerHistoryResource(app, incidentResource);
  const mayOperateJobs = permit('jobs:operate');
  const mayOperateIncidents = permit('incidents:operate');

  app.get<{ Params: Id }>('/job/:id', { config: permit(jobResource.permission), schema: jobSchema }, (request) => jobById(request.engine, request.params.id));

  app.put<{ Params: Id; Body: { retries: number; dueDate?: string | null } }>('/job/:id/retries', { config: mayOperateJobs, schema: retriesSchema }, async (request, reply) => {
    refuseUnsupported(request.body, ['dueDate']);
    await setRetries(request.engine, request.params.id, request.body.retries);
    return reply.code(204).send();
  });

  app.put<{ Params: Id; Body: { duedate: string | null; cascade?: boolean | null } }>('/job/:id/duedate', { config: mayOperateJobs, schema: dueDateSchema }, async (request, reply) => {
    await setDueDate(request.engine, request.params.id, request.body, actingUser(request, undefined));
    return reply.code(204).send();
  });

  app.post<{ Params: Id }>('/job/:id/execute', { config: mayOperateJobs, schema: executeSchema }, async (request, reply) => {
    await executeNow(request.engine, request.params.id);
    return reply.code(204).send();
  });

  app.get<{ Params: Id }>('/incident/:id', { config: permit(incidentResource.permission), schema: incidentSchema }, (request) =>
    incidentById(request.engine, request.params.id));

  app.put<{ Params: Id; Body: { annotation?: string | null } }>('/incident/:id/annotation', { config: mayOperateIncidents, schema: setAnnotationSchema }, async (request, reply) => {
    await annotate(request.engine, request.params.id, request.body.annotation ?? null, actingUser(request, undefined));
    return reply.code(204).send();
  });

  app.delete<{ Params: Id }>('/incident/:id/annotation', { config: mayOperateIncidents, schema: clearAnnotationSchema }, async (request, reply) => {
    await annotate(request.engine, request.params.id, null, actingUser(request, undefined));
    return reply.code(204).send();
  });

  app.delete<{ Params: Id }>('/incident/:id', { config: mayOperateIncidents, schema: resolveSchema }, async (request, reply) => {
    await resolveCustom(request.engine, request.params.id, actingUser(request, undefined));
    return reply.code(204).send();
  });
}
