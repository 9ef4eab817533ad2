// Camunda 7's activity instance tree of a running process instance (`GET /process-instance/{id}/activity-instances`),
// as Cockpit draws it: the instance at the root, each activity instance that has not ended under the one it
// runs in, a multi-instance body named `<activity>#multiInstanceBody` above its inner instances. A token that
// waits on an asynchronous continuation is a transition instance: before its activity (which has then not
// begun, in Camunda's terms) or after it (which has ended). Open incidents are listed where they occurred.
import type { Activity, Engine, Incident, Job } from '@dadms/process-engine';
import { camundaActivityType } from '../history/activity-types.js';
import { runningInstance } from './running-instances.js';

interface IncidentRef { id: string; activityId: string }

interface Common {
  id: string;
  parentActivityInstanceId: string | null;
  activityId: string;
  activityName: string | null;
  /** the deprecated name of `activityName`, which Camunda still answers */
  name: string | null;
  activityType: string;
  processInstanceId: string;
  processDefinitionId: string;
  incidentIds: string[];
  incidents: IncidentRef[];
}

export interface CamundaTransitionInstance extends Common {
  executionId: string;
  targetActivityId: string;
}

export interface CamundaActivityInstance extends Common {
  executionIds: string[];
  childActivityInstances: CamundaActivityInstance[];
  childTransitionInstances: CamundaTransitionInstance[];
}

export async function activityInstanceTree(engine: Engine, instanceId: string): Promise<CamundaActivityInstance> {
  const instance = await runningInstance(engine, instanceId);
  const jobs = (await engine.listJobs({ process_instance_id: instanceId, type: 'async', limit: 1000 })).data;
  const incidents = instance.incidents.filter((incident) => incident.status === 'open');
  const common = (id: string, parent: string | null, activityId: string, name: string | null, activityType: string, at: (i: Incident) => boolean): Common => {
    const here = incidents.filter(at);
    return {
      id, parentActivityInstanceId: parent, activityId, activityName: name, name, activityType,
      processInstanceId: instance.id, processDefinitionId: instance.process_definition_id,
      incidentIds: here.map((i) => i.id), incidents: here.map((i) => ({ id: i.id, activityId: i.activity_id ?? activityId })),
    };
  };
  const root: CamundaActivityInstance = {
    ...common(instance.id, null, instance.process_definition_id, instance.process_definition_name || null, 'processDefinition', () => false),
    executionIds: [instance.id], childActivityInstances: [], childTransitionInstances: [],
  };
  const byId = new Map<string, CamundaActivityInstance>([[instance.id, root]]);
  const parentOf = (activity: Activity) => byId.get(activity.parent_activity_instance_id ?? instance.id) ?? root;
  const waitsOn = (activity: Activity, job: Job) => job.activity_id === activity.activity_id && job.execution_id === activity.execution_id;
  const incidentAt = (activity: Pick<Activity, 'activity_id' | 'execution_id'>) => (i: Incident) =>
    i.activity_id === activity.activity_id && (i.execution_id === undefined || i.execution_id === activity.execution_id);

  // the activities are listed in the order they began, so a scope comes before what runs in it
  const open = instance.activities.filter((activity) => activity.end_time === undefined);
  for (const activity of open) {
    const before = jobs.find((job) => waitsOn(activity, job));
    if (before) {
      parentOf(activity).childTransitionInstances.push(transition(activity, before, parentOf(activity).id));
      continue;
    }
    const activityType = camundaActivityType(activity);
    const node: CamundaActivityInstance = {
      ...common(activity.id, parentOf(activity).id, activityType === 'multiInstanceBody' ? `${activity.activity_id}#multiInstanceBody` : activity.activity_id,
        activity.name || null, activityType, incidentAt(activity)),
      executionIds: [activity.execution_id], childActivityInstances: [], childTransitionInstances: [],
    };
    byId.set(activity.id, node);
    parentOf(activity).childActivityInstances.push(node);
  }
  // a job with no open activity continues after its activity, which has ended
  for (const job of jobs.filter((job) => !open.some((activity) => waitsOn(activity, job)))) {
    const ended = instance.activities.filter((activity) => waitsOn(activity, job)).at(-1);
    if (!ended) continue;
    parentOf(ended).childTransitionInstances.push(transition(ended, job, parentOf(ended).id));
  }
  return root;

  function transition(activity: Activity, job: Job, parent: string): CamundaTransitionInstance {
    return {
      ...common(job.execution_id!, parent, activity.activity_id, activity.name || null, camundaActivityType(activity), incidentAt(activity)),
      executionId: job.execution_id!, targetActivityId: activity.activity_id,
    };
  }
}
