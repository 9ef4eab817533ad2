// What can be done about an open incident: run the failed work again, skip it, mark it resolved, or
// escalate it to someone.
import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { Incident } from '../api/types.js';
import { useCommand } from '../use-command.js';
import { ErrorMessage } from './states.js';

export function IncidentActions({ incident, onDone }: { incident: Incident; onDone: () => void }) {
  const command = useCommand();
  const [assignee, setAssignee] = useState('');
  const label = incident.activity_name || incident.activity_id || incident.incident_type;
  const resolve = (resolution_type: 'retry' | 'skip' | 'manual') => () =>
    void command.run(() => api('POST', `/incidents/${incident.id}/resolve`, { resolution_type })).then((r) => r !== undefined && onDone());
  return (
    <div class="incident-actions">
      <div class="actions">
        <button type="button" disabled={command.busy} onClick={resolve('retry')} aria-label={`Retry ${label}`}>Retry</button>
        <button type="button" class="secondary" disabled={command.busy} onClick={resolve('skip')} aria-label={`Skip ${label}`}>Skip</button>
        <button type="button" class="secondary" disabled={command.busy} onClick={resolve('manual')} aria-label={`Mark ${label} resolved`}>Mark resolved</button>
        <form class="inline" onSubmit={(e) => {
          e.preventDefault();
          void command.run(() => api('POST', `/incidents/${incident.id}/escalate`, assignee.trim() ? { assignee: assignee.trim() } : {})).then((r) => r !== undefined && onDone());
        }}>
          <label>Escalate to <input value={assignee} onInput={(e) => setAssignee(e.currentTarget.value)} placeholder="user id" /></label>
          <button type="submit" class="secondary" disabled={command.busy}>Escalate</button>
        </form>
      </div>
      <ErrorMessage error={command.error} />
    </div>
  );
}
