// Camunda 7's `/task` endpoints, so that task lists written for Camunda 7 work this engine's user tasks:
// query and count, read a task, its variables, form and identity links, claim, unclaim, set the
// assignee, delegate, resolve, complete and submit its form. A task someone completed is gone, as from
// Camunda's runtime; refusals carry Camunda's status and exception type for the endpoint (refusals.ts).
import type { TaskQuery, VariablesInput } from '@dadms/process-engine';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { permit } from '../../../auth/permissions.js';
import { actingUser } from '../../../identity.js';
import { answerCamundaFailures, CamundaFailure } from '../camunda-failure.js';
import { isEngineErrorOf } from '../camunda-not-found.js';
import { camundaCount, camundaList, type CamundaPaging } from '../paging.js';
import { camundaForm, camundaTask, camundaVariables, identityLinks, type TaskAnswerOptions } from './dto.js';
import { formVariables } from './form-variables.js';
import { engineTaskQuery, postedQuery, TASK_SORTS, type CamundaTaskQuery, type PostedTaskQuery } from './query.js';
import { commandOnTask, MISSING_TASK, readTask, TASK_REFUSALS, type Refusals } from './refusals.js';
import {
  claimSchema, completeSchema, countQueriedTasksSchema, countTasksSchema, delegateSchema, formVariablesSchema, getTaskSchema, identityLinksSchema,
  listTasksSchema, queryTasksSchema, resolveSchema, setAssigneeSchema, submitFormSchema, taskFormSchema, taskVariableSchema, taskVariablesSchema,
  unclaimSchema,
} from './schemas.js';
import { fromCamundaVariables, toCamundaVariables, type CamundaTypedValue } from '../typed-values.js';
import { refuseUnsupported } from '../unsupported-options.js';

const mayRead = permit('tasks:read');
const mayWork = permit('tasks:work');

type Id = { id: string };
type UserBody = { userId?: string | null } | null;
type VariablesBody = { variables?: Record<string, CamundaTypedValue> | null; withVariablesInReturn?: boolean | null } | null;

export async function camundaTaskRoutes(app: FastifyInstance): Promise<void> {
  answerCamundaFailures(app);

  const list = async (request: FastifyRequest, query: CamundaTaskQuery, paging: CamundaPaging) => {
    const filters = engineTaskQuery(query);
    const found = await camundaList(paging, TASK_SORTS, (page) => request.engine.listTasks({ ...filters, ...page }));
    return found.map((task) => camundaTask(task, query));
  };
  const count = (request: FastifyRequest, query: CamundaTaskQuery) => {
    const filters = engineTaskQuery(query);
    return camundaCount((page) => request.engine.listTasks({ ...filters, ...page }));
  };

  app.get<{ Querystring: CamundaTaskQuery & CamundaPaging }>('', { config: mayRead, schema: listTasksSchema }, async (request) => {
    const { firstResult, maxResults, sortBy, sortOrder, ...query } = request.query;
    return list(request, query, { firstResult, maxResults, sortBy, sortOrder });
  });
  app.post<{ Querystring: CamundaPaging; Body: PostedTaskQuery | null }>('', { config: mayRead, schema: queryTasksSchema }, async (request) => {
    const { filters, sort } = postedQuery(request.body ?? {});
    return list(request, filters, { ...request.query, ...sort });
  });
  // a count has no order: the sort a client sends with it changes nothing
  app.get<{ Querystring: CamundaTaskQuery & Pick<CamundaPaging, 'sortBy' | 'sortOrder'> }>('/count', { config: mayRead, schema: countTasksSchema }, async (request) => {
    const { sortBy: _by, sortOrder: _order, ...query } = request.query;
    return count(request, query);
  });
  app.post<{ Body: PostedTaskQuery | null }>('/count', { config: mayRead, schema: countQueriedTasksSchema }, async (request) =>
    count(request, postedQuery(request.body ?? {}).filters));

  app.get<{ Params: Id; Querystring: TaskAnswerOptions & { withTaskLocalVariablesInReturn?: boolean } }>(
    '/:id',
    { config: mayRead, schema: getTaskSchema },
    async (request) => {
      refuseUnsupported(request.query, ['withTaskLocalVariablesInReturn']);
      return camundaTask(await readTask(request.engine, request.params.id, MISSING_TASK.task), request.query);
    },
  );

  /** a command that Camunda answers with 204 */
  const run = async (request: FastifyRequest<{ Params: Id }>, reply: FastifyReply, refusals: Refusals, command: (id: string) => Promise<unknown>) => {
    await commandOnTask(request.engine, request.params.id, refusals, () => command(request.params.id));
    return reply.code(204).send();
  };
  const actor = (request: FastifyRequest) => ({ user_id: actingUser(request, undefined) });

  app.post<{ Params: Id; Body: UserBody }>('/:id/claim', { config: mayWork, schema: claimSchema }, async (request, reply) => {
    const userId = request.body?.userId;
    // Camunda's claim without a user gives the task back
    return run(request, reply, TASK_REFUSALS.claim, (id) => (userId == null ? request.engine.unclaimTask(id, actor(request)) : request.engine.claimTask(id, userId)));
  });
  app.post<{ Params: Id }>('/:id/unclaim', { config: mayWork, schema: unclaimSchema }, async (request, reply) =>
    run(request, reply, TASK_REFUSALS.assign, (id) => request.engine.unclaimTask(id, actor(request))));
  app.post<{ Params: Id; Body: UserBody }>('/:id/assignee', { config: mayWork, schema: setAssigneeSchema }, async (request, reply) =>
    run(request, reply, TASK_REFUSALS.assign, (id) => request.engine.assignTask(id, request.body?.userId ?? null, actor(request))));
  app.post<{ Params: Id; Body: { userId: string } }>('/:id/delegate', { config: mayWork, schema: delegateSchema }, async (request, reply) =>
    run(request, reply, TASK_REFUSALS.delegate, (id) => request.engine.delegateTask(id, request.body.userId, actor(request))));
  app.post<{ Params: Id; Body: VariablesBody }>('/:id/resolve', { config: mayWork, schema: resolveSchema }, async (request, reply) =>
    run(request, reply, TASK_REFUSALS.resolve, (id) => request.engine.resolveTask(id, { variables: variablesOf(request.body), ...actor(request) })));

  // Camunda's form submission completes the task as completing it does, its refusals named for the form
  for (const [path, schema, refusals] of [['complete', completeSchema, TASK_REFUSALS.complete], ['submit-form', submitFormSchema, TASK_REFUSALS.submit]] as const) {
    app.post<{ Params: Id; Body: VariablesBody }>(`/:id/${path}`, { config: mayWork, schema }, async (request, reply) => {
      const { engine, params: { id } } = request;
      const task = await commandOnTask(engine, id, refusals, () => engine.completeTask(id, { variables: variablesOf(request.body), ...actor(request) }));
      if (request.body?.withVariablesInReturn !== true) return reply.code(204).send();
      // a caller who may no longer read the instance gets the variables its task saw as it completed
      const variables = await engine.getVariables(task.process_instance_id).catch((e: unknown) => {
        if (isEngineErrorOf(e, 'NOT_FOUND')) return task.variables;
        throw e;
      });
      return toCamundaVariables(variables);
    });
  }

  app.get<{ Params: Id; Querystring: { deserializeValues?: boolean } }>('/:id/variables', { config: mayRead, schema: taskVariablesSchema }, async (request) => {
    const task = await readTask(request.engine, request.params.id, MISSING_TASK.variables);
    return camundaVariables(task.variables, request.query.deserializeValues !== false);
  });
  app.get<{ Params: Id & { varName: string }; Querystring: { deserializeValue?: boolean } }>(
    '/:id/variables/:varName',
    { config: mayRead, schema: taskVariableSchema },
    async (request) => {
      const { id, varName } = request.params;
      const task = await readTask(request.engine, id, MISSING_TASK.variable(varName));
      const variable = task.variables[varName];
      if (!variable) throw new CamundaFailure(404, 'InvalidRequestException', `task variable with name ${varName} does not exist`);
      return camundaVariables({ [varName]: variable }, request.query.deserializeValue !== false)[varName];
    },
  );
  app.get<{ Params: Id; Querystring: { variableNames?: string; deserializeValues?: boolean } }>(
    '/:id/form-variables',
    { config: mayRead, schema: formVariablesSchema },
    async (request) => {
      const task = await readTask(request.engine, request.params.id, MISSING_TASK.formVariables);
      const names = request.query.variableNames?.split(',');
      return formVariables(task, names, request.query.deserializeValues !== false);
    },
  );
  app.get<{ Params: Id }>('/:id/form', { config: mayRead, schema: taskFormSchema }, async (request) =>
    camundaForm(await readTask(request.engine, request.params.id, MISSING_TASK.form)));
  app.get<{ Params: Id; Querystring: { type?: string } }>('/:id/identity-links', { config: mayRead, schema: identityLinksSchema }, async (request) =>
    identityLinks(await readTask(request.engine, request.params.id, MISSING_TASK.identityLinks), request.query.type));
}

const variablesOf = (body: VariablesBody): VariablesInput | undefined => fromCamundaVariables(body?.variables ?? undefined);
