// The dashboard: what needs attention now (running instances, open and overdue tasks, open incidents),
// each deployed process with its counts, and instances started and completed over the last 30 days.
import { api, query } from '../api/client.js';
import type { Incident, Page, ProcessDefinition, ProcessStatistics } from '../api/types.js';
import { DailyChart } from '../components/daily-chart.js';
import { Guard } from '../components/states.js';
import { Table } from '../components/table.js';
import type { Relevance } from '../live-updates.js';
import { href } from '../router.js';
import { useResource } from '../use-resource.js';

/** The size of a list, asked for with one item: the API counts without sending the rest. */
const countOf = (path: string, params: Record<string, string | boolean>) =>
  api<Page<unknown>>('GET', `${path}${query({ ...params, limit: 1 })}`).then((page) => page.total);

/** processes shown; the processes screen lists them all */
const PROCESSES_SHOWN = 50;
/** the per-process figures change with instances, deployments and incidents, not with each task */
const processChange: Relevance = (event) => /^process_manager\.(instance|definition|incident)\./.test(event.type);
const NO_INCIDENTS: Page<Incident> = { data: [], total: 0, limit: 0, offset: 0 };

export function Dashboard() {
  const counts = useResource(async () => {
    const [running, openTasks, overdueTasks, incidents] = await Promise.all([
      countOf('/instances', { status: 'active' }),
      countOf('/tasks', {}),
      countOf('/tasks', { due_before: new Date().toISOString() }),
      countOf('/incidents', { status: 'open' }),
    ]);
    return { running, openTasks, overdueTasks, incidents };
  }, []);
  const openIncidents = counts.data?.incidents;
  const processes = useResource(async () => {
    const [statistics, definitions, incidents] = await Promise.all([
      api<ProcessStatistics>('GET', '/statistics'),
      api<Page<ProcessDefinition>>('GET', `/definitions${query({ latest: true, limit: PROCESSES_SHOWN, sort: 'name' })}`),
      // the incidents are read only to count them by process, and only when there are some
      openIncidents === 0 ? NO_INCIDENTS : api<Page<Incident>>('GET', `/incidents${query({ status: 'open', limit: 1000 })}`),
    ]);
    return { statistics, definitions, incidents: incidents.data };
  }, [openIncidents === 0], { enabled: counts.data !== undefined || counts.error !== undefined, live: processChange });

  return (
    <>
      <h1>Dashboard</h1>
      <Guard resource={counts} what="the figures">
        {(c) => (
          <ul class="cards" data-testid="summary">
            <li><a href={href('/instances', { status: 'active' })}><strong>{c.running}</strong> running instances</a></li>
            <li><a href={href('/tasks', { view: 'unassigned' })}><strong>{c.openTasks}</strong> open tasks</a></li>
            <li class={c.overdueTasks > 0 ? 'attention' : undefined}><a href={href('/tasks', { sort: 'due' })}><strong>{c.overdueTasks}</strong> overdue tasks</a></li>
            <li class={c.incidents > 0 ? 'attention' : undefined}><a href={href('/incidents')}><strong>{c.incidents}</strong> open incidents</a></li>
          </ul>
        )}
      </Guard>
      <Guard resource={processes} what="the processes">
        {({ statistics, definitions, incidents }) => {
          const stats = new Map(statistics.by_process.map((p) => [p.process_definition_key, p]));
          const keyOf = new Map(definitions.data.map((d) => [d.id, d.key]));
          const incidentsByKey = new Map<string, number>();
          for (const incident of incidents) {
            const key = keyOf.get(incident.process_definition_id);
            if (key !== undefined) incidentsByKey.set(key, (incidentsByKey.get(key) ?? 0) + 1);
          }
          return (
            <>
              <section class="panel" aria-labelledby="dash-processes">
                <h2 id="dash-processes">Processes <small>(last 30 days)</small></h2>
                <Table
                  items={definitions.data} empty={<>No process is deployed yet. <a href={href('/processes')}>Deploy one.</a></>}
                  headers={['Process', 'Running', 'Completed', 'Open incidents']}
                  row={(d) => (
                    <tr key={d.id}>
                      <td><a href={href(`/processes/${d.id}`)}>{d.name || d.key}</a></td>
                      <td><a href={href('/instances', { process_definition_key: d.key, status: 'active' })}>{stats.get(d.key)?.active_instances ?? 0}</a></td>
                      <td><a href={href('/instances', { process_definition_key: d.key, status: 'completed' })}>{stats.get(d.key)?.completed_instances ?? 0}</a></td>
                      <td>{incidentsByKey.get(d.key) ?? 0}</td>
                    </tr>
                  )}
                />
                {definitions.total > definitions.data.length && <p><a href={href('/processes')}>All {definitions.total} processes</a></p>}
              </section>
              <section class="panel" aria-labelledby="dash-days">
                <h2 id="dash-days">Instances per day</h2>
                <DailyChart days={statistics.by_day} />
              </section>
            </>
          );
        }}
      </Guard>
    </>
  );
}
