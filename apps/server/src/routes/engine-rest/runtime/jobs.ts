// Camunda 7's job query (`/job`, its count, by GET or with the query in a POST body) on the engine's job
// list, and a job as Camunda's JobDto. The engine has no job definitions and no job priorities: a job
// answers `jobDefinitionId` null and `priority` 0, and the filters on them are refused.
import { EngineError, type Job, type JobQuery } from '@dadms/process-engine';
import { given, singleTenant } from '../camunda-query.js';
import { inclusiveBefore as nextMillisecond, fromCamundaTime, isSet, present } from '../history/query.js';
import type { HistoryResource } from '../history/resource.js';
import { noRows } from '../lists.js';
import { camundaDate } from '../typed-values.js';

export interface CamundaJobQuery {
  jobId?: string | null;
  processInstanceId?: string | null;
  processDefinitionId?: string | null;
  processDefinitionKey?: string | null;
  activityId?: string | null;
  timers?: boolean | null;
  messages?: boolean | null;
  withRetriesLeft?: boolean | null;
  noRetriesLeft?: boolean | null;
  executable?: boolean | null;
  withException?: boolean | null;
  dueDates?: string | { operator: string; value: unknown }[] | null;
  active?: boolean | null;
  suspended?: boolean | null;
  tenantIdIn?: string | string[] | null;
}

const UNSUPPORTED_FILTERS = [
  'jobIds', 'executionId', 'processInstanceIds', 'exceptionMessage', 'failedActivityId', 'priorityHigherThanOrEquals', 'priorityLowerThanOrEquals',
  'jobDefinitionId', 'withoutTenantId', 'includeJobsWithoutTenantId', 'acquired', 'createTimes',
] as const;

const SORTABLE = { jobDueDate: 'due_at', jobRetries: 'retries' };

/** `gt_<time>` of a query string */
function conditionOf(text: string): { operator: string; value: unknown } {
  const split = text.indexOf('_');
  if (split < 0) throw new EngineError('VALIDATION_ERROR', `Invalid due date condition '${text}': it has the form <operator>_<time>`);
  return { operator: text.slice(0, split), value: text.slice(split + 1) };
}

/** `gt_<time>,lt_<time>` of a query string, or the `[{ operator, value }]` of a body, as due times the engine filters by */
function dueTimes(dueDates: CamundaJobQuery['dueDates']): Pick<JobQuery, 'due_after' | 'due_before'> {
  const conditions = typeof dueDates === 'string' ? dueDates.split(',').map(conditionOf) : dueDates ?? [];
  const times: Pick<JobQuery, 'due_after' | 'due_before'> = {};
  for (const { operator, value } of conditions) {
    const time = fromCamundaTime('due date', String(value));
    // Camunda's `gt` leaves out the time itself, the engine's `due_after` does not
    if (operator === 'gt') times.due_after = nextMillisecond(time);
    else if (operator === 'lt') times.due_before = time;
    else throw new EngineError('VALIDATION_ERROR', `Invalid due date comparator specified: ${operator}`);
  }
  return times;
}

/** the engine's job types for `timers` or `messages`: Camunda's message jobs are its async continuations and service calls */
function typesOf(query: CamundaJobQuery): JobQuery['type'] {
  if (isSet(query.timers) && isSet(query.messages)) {
    throw new EngineError('VALIDATION_ERROR', 'Parameter timers cannot be used together with parameter messages.');
  }
  if (isSet(query.timers)) return 'timer';
  return isSet(query.messages) ? ['async', 'service'] : undefined;
}

/** the query as the engine's job filters; undefined when it asks for jobs with retries left and none alike */
function engineJobFilters(query: CamundaJobQuery): JobQuery | undefined {
  if (isSet(query.withRetriesLeft) && isSet(query.noRetriesLeft)) return undefined;
  // Camunda's query keeps the last state it is given, and it is given `suspended` after `active`
  const suspended = isSet(query.suspended) ? true : isSet(query.active) ? false : undefined;
  const failed = isSet(query.noRetriesLeft) ? true : isSet(query.withRetriesLeft) ? false : undefined;
  return given<JobQuery>({
    id: query.jobId, process_instance_id: query.processInstanceId, process_definition_id: query.processDefinitionId,
    process_definition_key: query.processDefinitionKey, activity_id: query.activityId, type: typesOf(query), failed, suspended,
    with_exception: isSet(query.withException) ? true : undefined, executable: isSet(query.executable) ? true : undefined,
    tenant_id: singleTenant(query.tenantIdIn), ...dueTimes(present(query.dueDates)),
  });
}

/** the job as Camunda's JobDto */
export function camundaJob(job: Job) {
  const failed = job.exception_message !== undefined;
  return {
    id: job.id,
    jobDefinitionId: null,
    processInstanceId: job.process_instance_id ?? null,
    processDefinitionId: job.process_definition_id,
    processDefinitionKey: job.process_definition_key,
    executionId: job.execution_id ?? null,
    exceptionMessage: job.exception_message ?? null,
    failedActivityId: failed ? job.activity_id : null,
    retries: job.retries,
    // a continuation is due as soon as it is made, which Camunda leaves unsaid until an attempt fails and puts the next one off
    dueDate: job.type === 'timer' || failed ? camundaDate(job.due_at) : null,
    suspended: job.suspended,
    priority: 0,
    tenantId: job.tenant_id ?? null,
    createTime: camundaDate(job.created_at),
    batchId: null,
  };
}

const JOB = {
  id: 'string', jobDefinitionId: 'string', processInstanceId: 'string', processDefinitionId: 'string', processDefinitionKey: 'string',
  executionId: 'string', exceptionMessage: 'string', failedActivityId: 'string', retries: 'integer', dueDate: 'date', suspended: 'boolean',
  priority: 'integer', tenantId: 'string', createTime: 'date', batchId: 'string',
} as const;

export const jobResource: HistoryResource<CamundaJobQuery, Job> = {
  path: '/job', permission: 'jobs:read', post: true,
  what: 'job',
  about: 'As Camunda 7\'s job query: timers, async continuations and service calls waiting to run, soonest due first. `messages` are ' +
    'the continuations and calls; `dueDates` compare with `gt` and `lt`; `tenantIdIn` takes one tenant. `sortBy` jobDueDate or jobRetries. ' +
    'Other filters are a 400.',
  filters: {
    served: {
      jobId: 'string', processInstanceId: 'string', processDefinitionId: 'string', processDefinitionKey: 'string', activityId: 'string',
      timers: 'boolean', messages: 'boolean', withRetriesLeft: 'boolean', noRetriesLeft: 'boolean', executable: 'boolean', withException: 'boolean',
      dueDates: 'conditions', active: 'boolean', suspended: 'boolean', tenantIdIn: 'list',
    },
    unsupported: UNSUPPORTED_FILTERS,
  },
  fields: JOB,
  rows: (engine, _reads, query) => {
    const filters = engineJobFilters(query);
    return { list: filters ? (page) => engine.listJobs({ ...filters, ...page }) : noRows, sortable: SORTABLE };
  },
  answer: (_reads, job) => camundaJob(job),
};
