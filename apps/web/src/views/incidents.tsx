// The incident center: open incidents grouped by type and process, each with its message and element
// (marked on the instance's diagram), resolved one by one or several at once.
import { useState } from 'preact/hooks';
import { api, query } from '../api/client.js';
import type { Incident, Page, ProcessDefinition } from '../api/types.js';
import { IncidentActions } from '../components/incident-actions.js';
import { Empty, ErrorMessage, Guard } from '../components/states.js';
import { when } from '../format.js';
import { href } from '../router.js';
import { useCommand } from '../use-command.js';
import { useResource } from '../use-resource.js';

interface Group {
  title: string;
  incidents: Incident[];
}

function groupIncidents(incidents: Incident[], definitions: Map<string, ProcessDefinition>): Group[] {
  const groups = new Map<string, Group>();
  for (const incident of incidents) {
    const definition = definitions.get(incident.process_definition_id);
    const process = definition ? `${definition.name || definition.key} v${definition.version}` : incident.process_definition_id;
    const title = `${incident.incident_type} in ${process}`;
    const group = groups.get(title) ?? { title, incidents: [] };
    group.incidents.push(incident);
    groups.set(title, group);
  }
  return [...groups.values()].sort((a, b) => a.title.localeCompare(b.title));
}

export function Incidents() {
  const incidents = useResource(async () => {
    const [open, definitions] = await Promise.all([
      api<Page<Incident>>('GET', `/incidents${query({ status: 'open', limit: 1000 })}`),
      api<Page<ProcessDefinition>>('GET', `/definitions${query({ limit: 1000 })}`),
    ]);
    return { total: open.total, groups: groupIncidents(open.data, new Map(definitions.data.map((d) => [d.id, d]))) };
  }, []);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const bulk = useCommand();
  const toggle = (id: string) => setSelected((s) => {
    const next = new Set(s);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    return next;
  });
  const resolveSelected = (resolution_type: 'retry' | 'skip') => void bulk.run(async () => {
    // one at a time: each is a command on its instance, and a failure names the incident it concerns
    for (const id of selected) await api('POST', `/incidents/${id}/resolve`, { resolution_type });
  }).then(() => { setSelected(new Set()); incidents.reload(); });

  return (
    <>
      <h1>Incidents</h1>
      <div class="actions">
        <button type="button" disabled={selected.size === 0 || bulk.busy} onClick={() => resolveSelected('retry')}>Retry selected ({selected.size})</button>
        <button type="button" class="secondary" disabled={selected.size === 0 || bulk.busy} onClick={() => resolveSelected('skip')}>Skip selected</button>
      </div>
      <ErrorMessage error={bulk.error} />
      <Guard resource={incidents} what="incidents">
        {({ groups }) => groups.length === 0 ? <Empty>No open incident. Everything runs.</Empty> : groups.map((group) => (
          <section class="panel" key={group.title} aria-label={group.title}>
            <h2>{group.title} <small>({group.incidents.length})</small></h2>
            {group.incidents.map((incident) => (
              <article class="incident" key={incident.id}>
                <label class="check">
                  <input type="checkbox" checked={selected.has(incident.id)} onChange={() => toggle(incident.id)} />
                  <strong>{incident.activity_name || incident.activity_id}</strong> <code>{incident.activity_id}</code>, {when(incident.created)}
                </label>
                <p class="incident-message">{incident.incident_message}</p>
                <p><a href={href(`/instances/${incident.process_instance_id}`)}>Instance <code>{incident.process_instance_id}</code>: its variables and the element on the diagram</a></p>
                <IncidentActions incident={incident} onDone={incidents.reload} />
              </article>
            ))}
          </section>
        ))}
      </Guard>
    </>
  );
}
