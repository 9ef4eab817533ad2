// Analytics over a period, for every process or one: the seed's statistics as figures and a daily chart,
// each process's figures, and for one process a heatmap on its diagram of how many instances passed each
// element or how long they waited there, with its bottlenecks.
import { api, query } from '../api/client.js';
import type { BottleneckReport, Page, ProcessDefinition, ProcessStatistics } from '../api/types.js';
import { DailyChart } from '../components/daily-chart.js';
import { Diagram } from '../components/diagram.js';
import { Empty, Guard } from '../components/states.js';
import { Table } from '../components/table.js';
import { duration } from '../format.js';
import { href, navigate, type Route } from '../router.js';
import { useResource } from '../use-resource.js';

const DAY_MS = 86_400_000;
const PERIODS = { 7: 'Last 7 days', 30: 'Last 30 days', 90: 'Last 90 days', 365: 'Last year' } as const;
const MEASURES = { instances: 'Instances that passed', wait: 'Average time spent' } as const;
type Measure = keyof typeof MEASURES;

export function Analytics({ route }: { route: Route }) {
  const key = route.query.get('process_definition_key') ?? '';
  const days = Number(route.query.get('days') ?? 30);
  const measure = (route.query.get('measure') ?? 'instances') as Measure;
  const change = (next: Record<string, string | number | undefined>) =>
    navigate('/analytics', { process_definition_key: key, days, measure, ...next });
  const period = () => ({ from: new Date(Date.now() - days * DAY_MS).toISOString(), process_definition_key: key });

  const definitions = useResource(() => api<Page<ProcessDefinition>>('GET', `/definitions${query({ latest: true, limit: 1000, sort: 'name' })}`), [], { live: false });
  const statistics = useResource(() => api<ProcessStatistics>('GET', `/statistics${query(period())}`), [key, days]);

  return (
    <>
      <h1>Analytics</h1>
      <div class="filters">
        <label>Process
          <select value={key} onChange={(e) => change({ process_definition_key: e.currentTarget.value })}>
            <option value="">all processes</option>
            {(definitions.data?.data ?? []).map((d) => <option key={d.key} value={d.key}>{d.name || d.key}</option>)}
          </select>
        </label>
        <label>Period
          <select value={String(days)} onChange={(e) => change({ days: e.currentTarget.value })}>
            {Object.entries(PERIODS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </label>
      </div>
      <Guard resource={statistics} what="the statistics">
        {(s) => (
          <>
            <ul class="cards">
              <li><span class="card"><strong>{s.summary.total_instances}</strong> instances started</span></li>
              <li><span class="card"><strong>{s.summary.completed_instances}</strong> completed</span></li>
              <li><span class="card"><strong>{duration(s.summary.average_duration)}</strong> average duration (median {duration(s.summary.median_duration)})</span></li>
              <li><span class="card"><strong>{s.summary.completed_tasks}</strong> tasks completed, {s.summary.open_tasks} open</span></li>
              <li><span class="card"><strong>{s.summary.incidents}</strong> incidents, {s.summary.resolved_incidents} resolved</span></li>
            </ul>
            <section class="panel" aria-labelledby="analytics-days">
              <h2 id="analytics-days">Instances per day</h2>
              <DailyChart days={s.by_day} />
            </section>
            <section class="panel" aria-labelledby="analytics-processes">
              <h2 id="analytics-processes">By process</h2>
              <Table
                items={s.by_process} empty="No instance started in this period."
                headers={['Process', 'Instances', 'Running', 'Completed', 'Average duration', 'Success rate', 'Tasks completed']}
                row={(p) => (
                  <tr key={p.process_definition_key}>
                    <td><a href={href('/analytics', { process_definition_key: p.process_definition_key, days })}>{p.process_definition_name || p.process_definition_key}</a></td>
                    <td>{p.instances}</td><td>{p.active_instances}</td><td>{p.completed_instances}</td>
                    <td>{duration(p.average_duration)}</td><td>{Math.round(p.success_rate * 100)} %</td><td>{p.completed_tasks}</td>
                  </tr>
                )}
              />
            </section>
          </>
        )}
      </Guard>
      {key && definitions.data && (
        <Heatmap definition={definitions.data.data.find((d) => d.key === key)} period={period()} days={days} measure={measure} onMeasure={(m) => change({ measure: m })} />
      )}
    </>
  );
}

function Heatmap(props: {
  definition: ProcessDefinition | undefined;
  period: { from: string; process_definition_key: string };
  days: number;
  measure: Measure;
  onMeasure: (measure: Measure) => void;
}) {
  const id = props.definition?.id;
  const definition = useResource(() => api<ProcessDefinition>('GET', `/definitions/${id}`), [id], { live: false, enabled: id !== undefined });
  const report = useResource(() => api<BottleneckReport>('GET', `/bottlenecks${query(props.period)}`), [props.period.process_definition_key, props.days]);
  if (id === undefined) return <Empty>This process is not deployed.</Empty>;
  return (
    <section class="panel" aria-labelledby="heatmap-title">
      <h2 id="heatmap-title">Heatmap of {props.definition?.name || props.definition?.key} <small>(latest version)</small></h2>
      <fieldset class="filters">
        <legend class="visually-hidden">Shade the elements by</legend>
        {(Object.keys(MEASURES) as Measure[]).map((m) => (
          <label class="check" key={m}>
            <input type="radio" name="measure" value={m} checked={props.measure === m} onChange={() => props.onMeasure(m)} /> {MEASURES[m]}
          </label>
        ))}
      </fieldset>
      <Guard resource={definition} what="the diagram">
        {(d) => (
          <Guard resource={report} what="the figures">
            {(r) => {
              const counts = Object.fromEntries(r.bottlenecks.map((b) => [b.activity_id, props.measure === 'instances' ? b.instances_affected : Math.round(b.average_wait_time / 1000)]));
              return (
                <>
                  <Diagram xml={d.bpmn_xml ?? ''} marks={{ counts }} label={`Heatmap of ${d.name || d.key}: ${MEASURES[props.measure].toLowerCase()} at each element`} />
                  {props.measure === 'wait' && <p class="state">Badges show seconds.</p>}
                  <Table
                    items={r.bottlenecks} empty="No element held an instance in this period."
                    headers={['Element', 'Instances', 'Average time spent', 'Severity']}
                    row={(b) => (
                      <tr key={b.activity_id}><td>{b.activity_name || b.activity_id} <code>{b.activity_id}</code></td><td>{b.instances_affected}</td><td>{duration(b.average_wait_time)}</td><td>{b.severity}</td></tr>
                    )}
                  />
                </>
              );
            }}
          </Guard>
        )}
      </Guard>
    </section>
  );
}
