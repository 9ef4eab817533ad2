// Camunda 7's history, read-only (`/engine-rest/history/…`), so that applications and cockpit-like tools
// that read what happened keep working: process instances (running and ended, and one by id), the
// activity history, the tasks and the variables of an instance, incidents, the decisions evaluated, and the
// user operation log.
import type { FastifyInstance } from 'fastify';
import { permit } from '../../../auth/permissions.js';
import { activityHistory } from './activities.js';
import { decisionHistory, historicDecisionById } from './decisions.js';
import { incidentHistory } from './incidents.js';
import { historicInstance, instanceHistory } from './process-instances.js';
import { historyReads } from './reads.js';
import { registerHistoryResource } from './resource.js';
import { historySchemas } from './schemas.js';
import { taskHistory } from './tasks.js';
import { userOperationHistory } from './user-operations.js';
import { variableHistory } from './variables.js';

export async function camundaHistoryRoutes(app: FastifyInstance): Promise<void> {
  registerHistoryResource(app, instanceHistory);
  registerHistoryResource(app, activityHistory);
  registerHistoryResource(app, taskHistory);
  registerHistoryResource(app, variableHistory);
  registerHistoryResource(app, incidentHistory);
  registerHistoryResource(app, decisionHistory);
  registerHistoryResource(app, userOperationHistory);
  app.get<{ Params: { id: string } }>(
    `${instanceHistory.path}/:id`,
    { config: permit(instanceHistory.permission), schema: historySchemas(instanceHistory).one },
    async (request) => {
      const reads = historyReads(request.engine);
      return historicInstance(reads, await reads.instance(request.params.id));
    },
  );
  const oneDecision = historySchemas(decisionHistory).one;
  app.get<{ Params: { id: string }; Querystring: { includeInputs?: boolean; includeOutputs?: boolean } }>(
    `${decisionHistory.path}/:id`,
    {
      config: permit(decisionHistory.permission),
      schema: { ...oneDecision, querystring: { type: 'object', additionalProperties: false, properties: decisionHistory.extraQuery } },
    },
    async (request) => historicDecisionById(request.engine, historyReads(request.engine), request.params.id, request.query),
  );
}
