// Every command of the Engine API runs in a span of its own and is timed for the observer; queries are
// left alone. The span is the active one while the command runs, so the jobs and events it writes carry
// its traceparent.
import { performance } from 'node:perf_hooks';
import type { Engine } from '../api/engine.js';
import type { CommandName, EngineObserver } from '../api/observer.js';
import { inSpan } from './tracing.js';

const COMMANDS = {
  deploy: 'deploy',
  updateDefinition: 'update_definition',
  deleteDefinition: 'delete_definition',
  setDefinitionSuspended: 'set_definition_suspended',
  deleteDeployment: 'delete_deployment',
  startInstance: 'start_instance',
  terminateInstance: 'terminate_instance',
  modifyInstance: 'modify_instance',
  migrateInstances: 'migrate_instances',
  setInstanceSuspended: 'set_instance_suspended',
  eraseInstanceHistory: 'erase_instance_history',
  removeExpiredHistory: 'remove_expired_history',
  updateVariables: 'update_variables',
  removeVariables: 'remove_variables',
  claimTask: 'claim_task',
  unclaimTask: 'unclaim_task',
  assignTask: 'assign_task',
  delegateTask: 'delegate_task',
  resolveTask: 'resolve_task',
  completeTask: 'complete_task',
  fetchAndLock: 'fetch_and_lock',
  completeExternalTask: 'complete_external_task',
  failExternalTask: 'fail_external_task',
  bpmnErrorExternalTask: 'bpmn_error_external_task',
  extendExternalTaskLock: 'extend_external_task_lock',
  lockExternalTask: 'lock_external_task',
  unlockExternalTask: 'unlock_external_task',
  setExternalTaskRetries: 'set_external_task_retries',
  executeJob: 'execute_job',
  setJobRetries: 'set_job_retries',
  setJobDueDate: 'set_job_due_date',
  correlateMessage: 'correlate_message',
  broadcastSignal: 'broadcast_signal',
  resolveIncident: 'resolve_incident',
  escalateIncident: 'escalate_incident',
  setIncidentAnnotation: 'set_incident_annotation',
  rotateEncryptionKeys: 'rotate_encryption_keys',
} as const satisfies Partial<Record<keyof Engine, CommandName>>;

type Command = (...args: unknown[]) => Promise<unknown>;

/** the engine with its commands traced and timed */
export function instrumentCommands(engine: Engine, observer: EngineObserver): Engine {
  const instrumented: Record<string, unknown> = { ...engine };
  for (const [method, name] of Object.entries(COMMANDS)) {
    const command = engine[method as keyof typeof COMMANDS] as Command;
    instrumented[method] = (...args: unknown[]) => timed(observer, name, () => command(...args));
  }
  return instrumented as unknown as Engine;
}

async function timed<T>(observer: EngineObserver, name: CommandName, run: () => Promise<T>): Promise<T> {
  const started = performance.now();
  let failed = false;
  try {
    return await inSpan(`process_engine ${name}`, { attributes: { 'process_engine.command': name } }, run);
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    observer.command?.(name, (performance.now() - started) / 1000, failed);
  }
}
