// Camunda 7's `POST /deployment/create` as Camunda Modeler's "Deploy" and deployment scripts call it: a
// multipart body whose files (any part names) are a BPMN model with the DMN and form files beside it.
import { EngineError, type DeploymentResult } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';
import { permit } from '../../../auth/permissions.js';
import { actingUser } from '../../../identity.js';
import { registerModelUpload } from '../../definitions/model-upload.js';
import { camundaDefinition } from '../definition-dto.js';
import { createDeploymentSchema } from '../schemas.js';
import { camundaDeployment } from './dto.js';

/** the fields of Camunda's form; every other part is a file */
const FORM_FIELDS = new Set(['deployment-name', 'deployment-source', 'tenant-id', 'enable-duplicate-filtering', 'deploy-changed-only', 'deployment-activation-time']);

type Parts = Record<string, string | string[]>;

/** the files by what they hold, whatever their parts are called (Modeler names a part after its file, scripts call them all `data`) */
function sortedFiles(parts: Parts): { models: string[]; decisions: string[]; forms: string[] } {
  const files = Object.entries(parts).filter(([name]) => !FORM_FIELDS.has(name)).flatMap(([, value]) => [value].flat());
  const isForm = (text: string) => text.trimStart().startsWith('{');
  const isDmn = (text: string) => !isForm(text) && /xmlns(:\w+)?="https?:\/\/www\.omg\.org\/spec\/DMN\//.test(text);
  return { forms: files.filter(isForm), decisions: files.filter(isDmn), models: files.filter((text) => !isForm(text) && !isDmn(text)) };
}

const field = (parts: Parts, name: string): string | undefined => {
  const value = parts[name];
  return Array.isArray(value) ? value[0] : value;
};

export async function camundaDeploymentCreateRoutes(app: FastifyInstance, options: { deployBodyBytes: number }): Promise<void> {
  await registerModelUpload(app, options.deployBodyBytes, 'BPMN');

  app.post<{ Body: Parts }>('/create', { config: permit('definitions:write'), schema: createDeploymentSchema, bodyLimit: options.deployBodyBytes }, async (request) => {
    if (!request.isMultipart()) throw new EngineError('VALIDATION_ERROR', 'A deployment is a multipart/form-data body');
    const parts = request.body;
    if (field(parts, 'deployment-activation-time') !== undefined) {
      throw new EngineError('VALIDATION_ERROR', 'deployment-activation-time is not supported: a deployment is active at once');
    }
    const { models, decisions, forms } = sortedFiles(parts);
    if (models.length !== 1) {
      throw new EngineError('VALIDATION_ERROR', models.length ? `The deployment holds ${models.length} BPMN files; this engine deploys one at a time, with its DMN and form files` : 'The deployment holds no BPMN file');
    }
    const tenantId = field(parts, 'tenant-id');
    const result = await request.engine.deploy({
      bpmn_xml: models[0]!, name: field(parts, 'deployment-name'), source: field(parts, 'deployment-source'),
      ...(tenantId ? { tenant_id: tenantId } : {}), ...(forms.length ? { forms } : {}), ...(decisions.length ? { decisions } : {}),
      deployed_by: actingUser(request, undefined),
    });
    return deploymentWithDefinitions(result, field(parts, 'deployment-name'), field(parts, 'deployment-source'), tenantId);
  });
}

/** the deployment as Camunda's DeploymentWithDefinitionsDto */
function deploymentWithDefinitions(result: DeploymentResult, name: string | undefined, source: string | undefined, tenantId: string | undefined) {
  return {
    ...camundaDeployment({ id: result.deployment_id, name, source, tenant_id: tenantId, deployed_at: result.definitions[0]!.deployed_at }),
    deployedProcessDefinitions: Object.fromEntries(result.definitions.map((d) => [d.id, camundaDefinition(d)])),
    deployedCaseDefinitions: null,
    deployedDecisionDefinitions: null,
    deployedDecisionRequirementsDefinitions: null,
  };
}
