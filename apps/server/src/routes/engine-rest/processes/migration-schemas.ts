// The requests and answers of Camunda 7's migration resource.
import { noContent } from '../../shared-schemas.js';
import { camundaErrors, flag, orNull, tags, text, textList } from '../query-schemas.js';

const instruction = {
  type: 'object', additionalProperties: false, required: ['sourceActivityIds', 'targetActivityIds'],
  properties: { sourceActivityIds: textList, targetActivityIds: textList, updateEventTrigger: orNull(flag) },
};
const plan = {
  type: 'object', additionalProperties: false, required: ['sourceProcessDefinitionId', 'targetProcessDefinitionId', 'instructions'],
  properties: {
    sourceProcessDefinitionId: text, targetProcessDefinitionId: text, instructions: { type: 'array', maxItems: 1000, items: instruction },
    variables: orNull({ type: 'object' }),
  },
};

export const generateMigrationSchema = {
  tags,
  summary: 'Generate a migration plan (Camunda 7)',
  description: 'As Camunda 7\'s `POST /migration/generate`: an instruction for each activity of the source whose id the target has with the same kind; ' +
    'with `updateEventTriggers`, those between events that wait for a trigger update it.',
  body: { type: 'object', additionalProperties: false, required: ['sourceProcessDefinitionId', 'targetProcessDefinitionId'],
    properties: { sourceProcessDefinitionId: text, targetProcessDefinitionId: text, updateEventTriggers: orNull(flag) } },
  response: { 200: { description: 'the plan, as MigrationPlanDto', ...plan, additionalProperties: true }, ...camundaErrors(400, 404) },
};

export const executeMigrationSchema = {
  tags,
  summary: 'Migrate process instances (Camunda 7)',
  description:
    'As Camunda 7\'s `POST /migration/execute`: the instances `processInstanceIds` names, all or none, by the plan\'s one-to-one ' +
    'instructions, and those `processInstanceQuery` (the filters of `GET /process-instance`) finds; with `updateEventTrigger`, what ' +
    'waits for a mapped event waits for the target\'s trigger; the plan\'s `variables` are set on each instance; 204. ' +
    '`skipCustomListeners`, `skipIoMappings` and instructions of several activities are a 400; so is an instance the plan cannot ' +
    'migrate, naming why.',
  body: {
    type: 'object', additionalProperties: false, required: ['migrationPlan'],
    properties: {
      migrationPlan: plan, processInstanceIds: orNull({ ...textList, maxItems: 1000 }), processInstanceQuery: orNull({ type: 'object' }),
      skipCustomListeners: orNull(flag), skipIoMappings: orNull(flag),
    },
  },
  response: { ...noContent, ...camundaErrors(400, 404) },
};
