// Camunda's historic activity instances (`/history/activity-instance`) of one process instance, from the
// activity history the engine keeps with the instance. The engine reads activities by instance only, so a
// query names its instance; its other filters and its sort apply to that instance's activities.
import { EngineError, type Activity } from '@dadms/process-engine';
import type { HistoryReads } from './reads.js';
import { listOf, type ListRead, type SortValues } from '../lists.js';
import { camundaActivityType } from './activity-types.js';
import { isSet } from './query.js';
import { asIs, type HistoryResource } from './resource.js';
import { HISTORIC_ACTIVITY_INSTANCE } from './schemas.js';
import { camundaDate } from '../typed-values.js';

export interface HistoricActivityQuery {
  processInstanceId?: string | null;
  activityInstanceId?: string | null;
  executionId?: string | null;
  activityId?: string | null;
  activityName?: string | null;
  activityType?: string | null;
  taskAssignee?: string | null;
  finished?: boolean | null;
  unfinished?: boolean | null;
  canceled?: boolean | null;
  completeScope?: boolean | null;
}

const UNSUPPORTED_FILTERS = [
  'processDefinitionId', 'activityNameLike', 'startedBefore', 'startedAfter', 'finishedBefore', 'finishedAfter', 'tenantIdIn', 'withoutTenantId',
] as const;

type HistoricActivity = Awaited<ReturnType<typeof historicActivity>>;

const time = (text: string | null) => (text === null ? undefined : Date.parse(text));
const SORT_VALUES: SortValues<HistoricActivity> = {
  // ids are made in time order, so they give the order the activities began in
  occurrence: (row) => row.id, instance: () => undefined, activity_id: (row) => row.activityId, activity_name: (row) => row.activityName ?? undefined,
  activity_type: (row) => row.activityType, start_time: (row) => time(row.startTime), end_time: (row) => time(row.endTime),
  duration: (row) => row.durationInMillis ?? undefined,
};
const SORTABLE = {
  occurrence: 'occurrence', instanceId: 'instance', activityId: 'activity_id', activityName: 'activity_name', activityType: 'activity_type',
  startTime: 'start_time', endTime: 'end_time', duration: 'duration',
};

/** Camunda's filters of an activity by a field's value → the field */
const EQUAL_FILTERS = {
  activityInstanceId: 'id', executionId: 'executionId', activityId: 'activityId', activityName: 'activityName', activityType: 'activityType',
} as const;

/** the activities of the instance a query names that pass its filters, in the order they began */
function historicActivityList(reads: HistoryReads, query: HistoricActivityQuery): ListRead<HistoricActivity> {
  const instanceId = query.processInstanceId;
  if (instanceId == null) {
    throw new EngineError('VALIDATION_ERROR', 'processInstanceId is required: this engine reads the activity history of one process instance at a time');
  }
  const equal = Object.entries(EQUAL_FILTERS).filter(([filter]) => query[filter as keyof typeof EQUAL_FILTERS] != null);
  const matches = (row: HistoricActivity) => equal.every(([filter, field]) => row[field] === query[filter as keyof typeof EQUAL_FILTERS])
    && (query.taskAssignee == null || row.assignee === query.taskAssignee)
    && (!isSet(query.finished) || row.endTime !== null) && (!isSet(query.unfinished) || row.endTime === null)
    && (!isSet(query.canceled) || row.canceled) && (!isSet(query.completeScope) || row.completeScope);
  return async (page) => {
    const instance = await reads.instanceIfAny(instanceId);
    if (!instance) return listOf([], SORT_VALUES)(page);
    const rows = await Promise.all(instance.activities.map((activity) => historicActivity(reads, instance.id, activity)));
    return listOf(rows.filter(matches), SORT_VALUES)(page);
  };
}

/** the activity instance as Camunda's HistoricActivityInstanceDto */
async function historicActivity(reads: HistoryReads, instanceId: string, activity: Activity) {
  const [instance, root] = await Promise.all([reads.instance(instanceId), reads.root(instanceId)]);
  const activityType = camundaActivityType(activity);
  const completed = activity.status === 'completed';
  return {
    id: activity.id,
    parentActivityInstanceId: activity.parent_activity_instance_id ?? instanceId,
    // Camunda names a loop's body after the activity it repeats
    activityId: activityType === 'multiInstanceBody' ? `${activity.activity_id}#multiInstanceBody` : activity.activity_id,
    activityName: activity.name || null,
    activityType,
    processDefinitionKey: instance.process_definition_key,
    processDefinitionId: instance.process_definition_id,
    processInstanceId: instanceId,
    executionId: activity.execution_id,
    taskId: activity.task_id ?? null,
    calledProcessInstanceId: activity.called_process_instance_id ?? null,
    calledCaseInstanceId: null,
    assignee: activity.assignee ?? null,
    startTime: camundaDate(activity.start_time),
    endTime: activity.end_time ? camundaDate(activity.end_time) : null,
    durationInMillis: activity.duration ?? null,
    canceled: activity.status === 'cancelled',
    completeScope: completed && activityType !== 'multiInstanceBody' && activity.ends_scope === true,
    tenantId: instance.tenant_id ?? null,
    removalTime: root?.removal_time ? camundaDate(root.removal_time) : null,
    rootProcessInstanceId: root?.id ?? null,
  };
}

export const activityHistory: HistoryResource<HistoricActivityQuery, HistoricActivity> = {
  path: '/activity-instance', permission: 'instances:read', post: true,
  what: 'historic activity instance',
  about: 'As Camunda 7\'s `/history/activity-instance`, of the one process instance `processInstanceId` names (required: the engine reads the ' +
    'activity history by instance), with Camunda\'s activity types (`startEvent`, `userTask`, `noneEndEvent`…). `sortBy` occurrence, ' +
    'instanceId, activityId, activityName, activityType, startTime, endTime or duration. Other filters are a 400.',
  filters: {
    served: {
      processInstanceId: 'string', activityInstanceId: 'string', executionId: 'string', activityId: 'string', activityName: 'string',
      activityType: 'string', taskAssignee: 'string', finished: 'boolean', unfinished: 'boolean', canceled: 'boolean', completeScope: 'boolean',
    },
    unsupported: UNSUPPORTED_FILTERS,
  },
  fields: HISTORIC_ACTIVITY_INSTANCE,
  rows: (_engine, reads, query) => ({ list: historicActivityList(reads, query), sortable: SORTABLE }),
  answer: asIs,
};
