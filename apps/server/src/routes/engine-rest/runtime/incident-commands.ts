// Camunda 7's `/incident/{id}`: an open incident read, its annotation set or cleared, and a custom incident
// resolved. Camunda's runtime holds only open incidents: one that is resolved or deleted is not found
// there, and each endpoint says so in Camunda's words for it.
import type { Engine, Incident } from '@dadms/process-engine';
import { CamundaFailure } from '../camunda-failure.js';
import { isEngineErrorOf } from '../camunda-not-found.js';
import { camundaIncident } from './incidents.js';

/** incidents that go away as what failed runs again (new retries), never by being resolved */
const RESOLVED_BY_RETRIES: readonly string[] = ['failedJob', 'failedExternalTask'];

/** the open incident, or undefined when there is none the caller may see */
async function openIncident(engine: Engine, id: string): Promise<Incident | undefined> {
  const incident = await engine.getIncident(id).catch((e: unknown) => {
    if (isEngineErrorOf(e, 'NOT_FOUND')) return undefined;
    throw e;
  });
  return incident?.status === 'open' ? incident : undefined;
}

export async function incidentById(engine: Engine, id: string) {
  const incident = await openIncident(engine, id);
  if (!incident) throw new CamundaFailure(404, 'InvalidRequestException', `No matching incident with id ${id}`);
  return camundaIncident(incident);
}

/** the note on an open incident, replaced or (null) removed; Camunda refuses an incident it does not hold as a bad request */
export async function annotate(engine: Engine, id: string, annotation: string | null, userId: string | undefined): Promise<void> {
  await engine.setIncidentAnnotation(id, annotation, { user_id: userId }).catch((e: unknown) => {
    throw isEngineErrorOf(e, 'NOT_FOUND', 'CONFLICT') ? new CamundaFailure(400, 'BadUserRequestException', 'incident is null') : e;
  });
}

/**
 * Camunda's `DELETE /incident/{id}` resolves a custom incident, which only removes it: the token stays
 * where it is. Incidents of failed jobs and external tasks are resolved by new retries and refused here.
 */
export async function resolveCustom(engine: Engine, id: string, userId: string | undefined): Promise<void> {
  const missing = new CamundaFailure(404, 'InvalidRequestException', `Cannot find an incident with id '${id}': incident is null`);
  const incident = await openIncident(engine, id);
  if (!incident) throw missing;
  if (RESOLVED_BY_RETRIES.includes(incident.incident_type)) {
    throw new CamundaFailure(400, 'InvalidRequestException', `Cannot resolve an incident of type ${incident.incident_type}`);
  }
  await engine.resolveIncident(id, { resolution_type: 'manual', resolved_by: userId }).catch((e: unknown) => {
    // resolved by someone else meanwhile
    throw isEngineErrorOf(e, 'NOT_FOUND', 'CONFLICT') ? missing : e;
  });
}
