// Resolving and escalating incidents. `retry` resumes the failed work, `skip` leaves the activity as if
// it had completed, `abort` terminates the instance, `manual` only records the resolution.
import type { ResolveIncidentInput } from '../api/engine.js';
import { conflict, invalid } from '../errors.js';
import type { IncidentRow, InstanceState } from '../execution/instance-state.js';
import { retriesOf } from '../execution/work-items.js';
import { toTypedValues } from '../variables/variable-codec.js';
import type { CommandContext } from './command-context.js';
import { withOwningInstance } from './run-command.js';

const RESOLUTIONS = new Set(['retry', 'skip', 'manual', 'abort']);

export async function resolveIncident(ctx: CommandContext, incidentId: string, input: ResolveIncidentInput): Promise<void> {
  if (!RESOLUTIONS.has(input.resolution_type)) throw invalid(`resolution_type must be one of ${[...RESOLUTIONS].join(', ')}`);
  const variables = toTypedValues(input.variables);
  await withOwningInstance(ctx, { table: 'incidents', id: incidentId, what: 'Incident' }, (interpreter, state) => {
    const incident = state.incidents.get(incidentId);
    if (!incident) throw conflict(`Incident '${incidentId}' is not open`);
    const token = incident.execution_id ? state.executions.get(incident.execution_id) : undefined;
    const node = incident.activity_id ? state.model.elements.get(incident.activity_id) : undefined;
    if (input.resolution_type === 'skip' && node?.kind.endsWith('Gateway')) {
      throw conflict(`Incident '${incidentId}' is at gateway '${node.id}', which cannot be skipped: change the variables and retry`);
    }
    for (const [name, value] of variables) interpreter.variables.set(token?.id ?? state.instance.id, name, value);
    const resolvedBy = input.resolved_by ?? null;
    interpreter.history.resolved(incident, {
      type: input.resolution_type, by: resolvedBy, message: input.resolution_message, said: input.resolution_message ?? `Resolved by ${input.resolution_type}`,
    });
    interpreter.history.audit({ operation: 'ResolveIncident', user_id: resolvedBy, activity_id: incident.activity_id, new_value: input.resolution_type });
    if (input.resolution_type === 'abort') return interpreter.terminateInstance('externally_terminated', input.resolution_message ?? 'incident aborted');
    if (token && input.resolution_type === 'skip') return interpreter.skip(token);
    if (token && input.resolution_type === 'retry' && !renewRetries(ctx, state, incident) && token.state === 'failed') return interpreter.retry(token);
    // nothing runs on here, but the variables given may let conditional events fire
    interpreter.settle();
  });
}

/** a worker's task or a job that failed gets a fresh set of retries; false when the incident held neither */
function renewRetries(ctx: CommandContext, state: InstanceState, incident: IncidentRow): boolean {
  const externalTask = incident.configuration ? state.externalTasks.get(incident.configuration) : undefined;
  if (externalTask) {
    // the task is handed to the next worker that fetches
    externalTask.retries = retriesOf(state.model.elements.get(externalTask.activity_id));
    externalTask.worker_id = null;
    externalTask.lock_expiration_time = null;
    return true;
  }
  const job = incident.configuration ? state.jobs.get(incident.configuration) : undefined;
  if (!job) return false;
  // due now: dispatched once this commits
  job.retries = retriesOf(state.model.elements.get(job.activity_id));
  job.due_at = ctx.now();
  job.lock_owner = null;
  job.lock_expires_at = null;
  return true;
}

export async function escalateIncident(ctx: CommandContext, incidentId: string, input: { message?: string; assignee?: string; user_id?: string }): Promise<void> {
  await withOwningInstance(ctx, { table: 'incidents', id: incidentId, what: 'Incident' }, (interpreter, state) => {
    const incident = state.incidents.get(incidentId);
    if (!incident) throw conflict(`Incident '${incidentId}' is not open`);
    if (input.assignee !== undefined) incident.assignee = input.assignee;
    interpreter.history.incidentAction(incident.id, 'escalated', input.message ?? 'Escalated', input.user_id ?? null,
      input.assignee !== undefined ? { assignee: input.assignee } : undefined);
  });
}

/** as long as Camunda's column for it */
const ANNOTATION_LENGTH = 4000;

export async function setIncidentAnnotation(ctx: CommandContext, incidentId: string, annotation: string | null, userId?: string): Promise<void> {
  if (annotation !== null && typeof annotation !== 'string') throw invalid('annotation must be text or null');
  if (annotation !== null && annotation.length > ANNOTATION_LENGTH) throw invalid(`annotation must be at most ${ANNOTATION_LENGTH} characters`);
  await withOwningInstance(ctx, { table: 'incidents', id: incidentId, what: 'Incident' }, (interpreter, state) => {
    const incident = state.incidents.get(incidentId);
    if (!incident) throw conflict(`Incident '${incidentId}' is not open`);
    incident.annotation = annotation;
    // the note itself is not logged: it may say more than an audit trail should keep
    interpreter.history.audit({
      operation: annotation === null ? 'ClearAnnotation' : 'SetAnnotation', user_id: userId ?? null, activity_id: incident.activity_id,
      property: 'incidentId', new_value: incidentId,
    });
  });
}
