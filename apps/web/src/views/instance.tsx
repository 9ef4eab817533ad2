// One instance: its diagram with where it is and the path it took, its variables, open tasks, incidents,
// called instances, the decisions it evaluated, history and audit trail, and suspending, activating,
// terminating it or moving its tokens.
import { useMemo, useState } from 'preact/hooks';
import { api, query } from '../api/client.js';
import type { Page, ProcessDefinition, ProcessInstance, ProcessInstanceDetails, TaskDetails } from '../api/types.js';
import { DecisionEvaluations } from '../components/decision-evaluations.js';
import { Diagram, type DiagramMarks } from '../components/diagram.js';
import { IncidentActions } from '../components/incident-actions.js';
import { MoveToken } from '../components/move-token.js';
import { Empty, ErrorMessage, Guard } from '../components/states.js';
import { Status } from '../components/status.js';
import { Table } from '../components/table.js';
import { VariablesEditor } from '../components/variables-editor.js';
import { duration, when } from '../format.js';
import { instanceChange } from '../live-updates.js';
import { href } from '../router.js';
import { useCommand } from '../use-command.js';
import { useResource } from '../use-resource.js';

const ENDED = new Set(['completed', 'terminated', 'externally_terminated']);

export function Instance({ id }: { id: string }) {
  const instance = useResource(() => api<ProcessInstanceDetails>('GET', `/instances/${id}`), [id], { live: instanceChange(id) });
  return (
    <Guard resource={instance} what="the instance">
      {(i) => <InstancePage instance={i} reload={instance.reload} />}
    </Guard>
  );
}

function marksOf(i: ProcessInstanceDetails): DiagramMarks {
  return {
    completed: [...new Set(i.execution_path.map((step) => step.activity_id))],
    flows: i.execution_path.flatMap((step) => (step.transition_id ? [step.transition_id] : [])),
    active: ENDED.has(i.status) ? [] : i.current_activities.map((a) => a.activity_id),
    incidents: i.incidents.filter((incident) => incident.status === 'open'),
  };
}

function InstancePage({ instance: i, reload }: { instance: ProcessInstanceDetails; reload: () => void }) {
  const definition = useResource(() => api<ProcessDefinition>('GET', `/definitions/${i.process_definition_id}`), [i.process_definition_id], { live: false });
  const live = { live: instanceChange(i.id) };
  const tasks = useResource(() => api<Page<TaskDetails>>('GET', `/tasks${query({ process_instance_id: i.id })}`), [i.id], live);
  const children = useResource(() => api<Page<ProcessInstance>>('GET', `/instances${query({ super_instance_id: i.id, limit: 100 })}`), [i.id], live);
  const marks = useMemo(() => marksOf(i), [i]);
  const ended = ENDED.has(i.status);
  const openIncidents = i.incidents.filter((incident) => incident.status === 'open');

  return (
    <>
      <h1>{i.process_definition_name || i.process_definition_key} <Status value={i.status} /></h1>
      <dl class="facts">
        <dt>Instance</dt><dd><code>{i.id}</code></dd>
        <dt>Business key</dt><dd>{i.business_key ?? '—'}</dd>
        <dt>Started</dt><dd>{when(i.start_time)} by {i.started_by}</dd>
        <dt>Ended</dt><dd>{when(i.end_time)}{i.duration !== undefined && ` (${duration(i.duration)})`}</dd>
        {i.super_instance_id && <><dt>Called by</dt><dd><a href={href(`/instances/${i.super_instance_id}`)}><code>{i.super_instance_id}</code></a></dd></>}
        <dt>Process</dt><dd><a href={href(`/processes/${i.process_definition_id}`)}>{i.process_definition_key}</a></dd>
      </dl>
      {!ended && <InstanceActions instance={i} onDone={reload} />}

      <Guard resource={definition} what="the diagram">
        {(d) => <Diagram xml={d.bpmn_xml ?? ''} marks={marks} label={`Diagram of instance ${i.id}: ${ended ? 'ended' : `waiting at ${i.current_activities.map((a) => a.name || a.activity_id).join(', ') || 'nothing'}`}`} />}
      </Guard>
      {!ended && i.current_activities.length > 0 && (
        <p>Waiting at: {i.current_activities.map((a) => <span class="chip" key={a.id}>{a.name || a.activity_id}</span>)}</p>
      )}
      {!ended && i.status !== 'suspended' && definition.data && <MoveToken key={i.current_activities.map((a) => a.id).join()} instance={i} tasks={definition.data.tasks ?? []} onDone={reload} />}

      {openIncidents.length > 0 && (
        <section class="panel incidents" aria-labelledby="incidents-title">
          <h2 id="incidents-title">Open incidents</h2>
          {openIncidents.map((incident) => (
            <article key={incident.id} class="incident">
              <h3>{incident.incident_type} at {incident.activity_name || incident.activity_id}</h3>
              <p>{incident.incident_message}</p>
              <IncidentActions incident={incident} onDone={reload} />
            </article>
          ))}
        </section>
      )}

      <section class="panel" aria-labelledby="tasks-title">
        <h2 id="tasks-title">Open tasks</h2>
        <Guard resource={tasks} what="tasks">
          {(page) => page.data.length === 0 ? <Empty>No open task.</Empty> : (
            <ul>{page.data.map((t) => <li key={t.id}><a href={href(`/tasks/${t.id}`)}>{t.name}</a> {t.assignee ? `(assigned to ${t.assignee})` : '(unassigned)'}</li>)}</ul>
          )}
        </Guard>
      </section>

      <section class="panel" aria-labelledby="variables-title">
        <h2 id="variables-title">Variables</h2>
        <VariablesEditor instanceId={i.id} variables={i.variables} readOnly={ended} onSaved={reload} />
      </section>

      <Guard resource={children} what="called instances">
        {(page) => page.data.length > 0 && (
          <section class="panel" aria-labelledby="children-title">
            <h2 id="children-title">Called instances</h2>
            <ul>{page.data.map((c) => <li key={c.id}><a href={href(`/instances/${c.id}`)}>{c.process_definition_name || c.process_definition_key}</a> <Status value={c.status} /></li>)}</ul>
          </section>
        )}
      </Guard>

      <DecisionEvaluations instanceId={i.id} />

      <section class="panel" aria-labelledby="history-title">
        <h2 id="history-title">Path taken</h2>
        <Table
          items={i.execution_path} empty="No history is kept for this instance." headers={['When', 'Element', 'Through flow']}
          row={(step, n) => (
            <tr key={n}><td>{when(step.timestamp)}</td><td>{step.activity_name || step.activity_id} <code>{step.activity_id}</code></td><td>{step.transition_id ? <code>{step.transition_id}</code> : '—'}</td></tr>
          )}
        />
      </section>

      <section class="panel" aria-labelledby="audit-title">
        <h2 id="audit-title">Audit trail</h2>
        <Table
          items={i.audit_trail} empty="No audit entry." headers={['When', 'Operation', 'By', 'Element', 'Change']}
          row={(entry) => (
            <tr key={entry.id}>
              <td>{when(entry.timestamp)}</td><td>{entry.operation}</td><td>{entry.user_id ?? '—'}</td>
              <td>{entry.activity_name || entry.activity_id || '—'}</td>
              <td>{entry.property ? `${entry.property}: ${entry.org_value ?? '—'} → ${entry.new_value ?? '—'}` : entry.new_value ?? '—'}</td>
            </tr>
          )}
        />
      </section>
    </>
  );
}

function InstanceActions({ instance: i, onDone }: { instance: ProcessInstanceDetails; onDone: () => void }) {
  const command = useCommand();
  const [confirming, setConfirming] = useState(false);
  const suspended = i.status === 'suspended';
  return (
    <div>
      <div class="actions">
        <button type="button" class="secondary" disabled={command.busy}
          onClick={() => void command.run(() => api('PUT', `/instances/${i.id}/suspended`, { suspended: !suspended })).then(onDone)}>
          {suspended ? 'Activate' : 'Suspend'}
        </button>
        {confirming ? (
          <>
            <button type="button" class="danger" disabled={command.busy}
              onClick={() => void command.run(() => api('DELETE', `/instances/${i.id}${query({ reason: 'Terminated from the management UI' })}`)).then(onDone)}>
              Terminate now
            </button>
            <button type="button" class="secondary" onClick={() => setConfirming(false)}>Keep it running</button>
          </>
        ) : (
          <button type="button" class="secondary" onClick={() => setConfirming(true)}>Terminate…</button>
        )}
      </div>
      <ErrorMessage error={command.error} />
    </div>
  );
}
