// Camunda 7's fetch-and-lock, as its external task clients send it, on the engine's: the topics' filters
// the engine has, and long polling (`asyncResponseTimeout`): a fetch that finds nothing asks again, more
// and more slowly, until a task is there or the time is up.
import { EngineError, type Engine, type FetchAndLockInput, type LockedExternalTask } from '@dadms/process-engine';
import { setTimeout as sleep } from 'node:timers/promises';
import { refuseUnsupported } from './unsupported-options.js';

export interface CamundaTopic {
  topicName: string;
  lockDuration: number;
  variables?: string[] | null;
  businessKey?: string | null;
  processDefinitionKey?: string | null;
  processDefinitionKeyIn?: string[] | null;
  tenantIdIn?: string[] | null;
  [filter: string]: unknown;
}

export interface CamundaFetch {
  workerId: string;
  maxTasks: number;
  usePriority?: boolean;
  asyncResponseTimeout?: number | null;
  topics: CamundaTopic[];
  [option: string]: unknown;
}

/** filters of Camunda's that the engine does not have */
const UNSUPPORTED_FILTERS = ['processDefinitionId', 'processDefinitionIdIn', 'processDefinitionVersionTag', 'processVariables', 'withoutTenantId', 'localVariables'];

/** what the engine's fetch-and-lock takes for this request; a filter it cannot apply is a 400 naming it */
export function engineFetch(request: CamundaFetch): FetchAndLockInput {
  return {
    worker_id: request.workerId,
    max_tasks: request.maxTasks,
    topics: request.topics.map((topic) => {
      refuseUnsupported(topic, UNSUPPORTED_FILTERS, `The topic '${topic.topicName}': `);
      const keys = topic.processDefinitionKeyIn ?? [];
      if (keys.length > 1) throw new EngineError('VALIDATION_ERROR', `The topic '${topic.topicName}' names ${keys.length} process definition keys; this engine takes one`);
      const key = topic.processDefinitionKey ?? keys[0];
      return {
        topic_name: topic.topicName,
        lock_duration: topic.lockDuration,
        ...(topic.businessKey != null ? { business_key: topic.businessKey } : {}),
        ...(key != null ? { process_definition_key: key } : {}),
        ...(topic.tenantIdIn?.length ? { tenant_ids: topic.tenantIdIn } : {}),
        ...(topic.variables != null ? { variables: topic.variables } : {}),
      };
    }),
  };
}

const FIRST_WAIT_MS = 100;
const LONGEST_WAIT_MS = 1_000;

/** the tasks locked now, or, with a timeout, the first found before it passes (none once `gone` is aborted) */
export async function fetchWithin(engine: Engine, input: FetchAndLockInput, timeoutMs: number, gone: AbortSignal): Promise<LockedExternalTask[]> {
  const deadline = Date.now() + timeoutMs;
  for (let wait = FIRST_WAIT_MS; ; wait = Math.min(wait * 2, LONGEST_WAIT_MS)) {
    const locked = await engine.fetchAndLock(input);
    const left = deadline - Date.now();
    if (locked.length > 0 || left <= 0 || gone.aborted) return locked;
    try {
      await sleep(Math.min(wait, left), undefined, { signal: gone });
    } catch {
      return [];
    }
  }
}
