// Moving a token (process instance modification): the operator picks what to cancel (a waiting activity,
// or nothing, to start a token beside the others) and the task to start before; the engine does both in one
// command, or refuses and says why, changing nothing.
import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { ProcessDefinition, ProcessInstanceDetails } from '../api/types.js';
import { useCommand } from '../use-command.js';
import { ErrorMessage } from './states.js';

type Tasks = NonNullable<ProcessDefinition['tasks']>;

export function MoveToken({ instance, tasks, onDone }: { instance: ProcessInstanceDetails; tasks: Tasks; onDone: () => void }) {
  const command = useCommand();
  const waiting = instance.current_activities;
  const [from, setFrom] = useState(waiting[0]?.id ?? '');
  const [to, setTo] = useState(tasks[0]?.id ?? '');
  const [annotation, setAnnotation] = useState('');
  if (tasks.length === 0) return null;

  const move = async () => {
    const instructions = [
      ...(from ? [{ type: 'cancel', activity_instance_id: from }] : []),
      { type: 'start_before_activity', activity_id: to },
    ];
    const body = { instructions, ...(annotation.trim() ? { annotation: annotation.trim() } : {}) };
    if (await command.run(() => api('POST', `/instances/${instance.id}/modification`, body)) !== undefined) onDone();
  };

  return (
    <section class="panel" aria-labelledby="move-title">
      <h2 id="move-title">Move a token</h2>
      <form class="move-token" onSubmit={(e) => { e.preventDefault(); void move(); }}>
        <label>Cancel
          <select value={from} onChange={(e) => setFrom(e.currentTarget.value)}>
            {waiting.map((a) => <option key={a.id} value={a.id}>{a.name || a.activity_id} ({a.activity_id})</option>)}
            <option value="">nothing: start a token beside the others</option>
          </select>
        </label>
        <label>Start before
          <select value={to} onChange={(e) => setTo(e.currentTarget.value)}>
            {tasks.map((t) => <option key={t.id} value={t.id}>{t.name || t.id} ({t.id})</option>)}
          </select>
        </label>
        <label>Why (kept in the audit trail) <input value={annotation} onInput={(e) => setAnnotation(e.currentTarget.value)} /></label>
        <div class="actions"><button type="submit" disabled={command.busy || !to}>Move</button></div>
        <ErrorMessage error={command.error} />
      </form>
    </section>
  );
}
