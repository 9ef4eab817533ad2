// The outbox rows of a command as its observer counts them: type, process and, for an incident, its type.
import type { CommittedEvent } from '../api/observer.js';
import type { NewRow } from '../persistence/database.js';

const INCIDENT_CREATED = 'process_manager.incident.created';

export function committedEvents(rows: readonly NewRow<'outbox'>[]): CommittedEvent[] {
  return rows.map((row) => {
    const event: CommittedEvent = { type: row.type, process_definition_key: row.process_definition_key ?? null };
    // incidents are rare: reading one's payload back costs next to nothing
    if (row.type === INCIDENT_CREATED) event.incident_type = String((JSON.parse(row.payload) as { incident_type?: unknown }).incident_type);
    return event;
  });
}
