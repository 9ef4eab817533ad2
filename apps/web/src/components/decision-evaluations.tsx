// The decisions an instance's business rule tasks evaluated, from the decision history: each with what its
// inputs were and which rules gave which outputs. A caller who may not read the history (a plain user)
// is not shown the panel at all, rather than an error about something it never asked for.
import { api, ApiError, query } from '../api/client.js';
import type { DecisionInstance, Page } from '../api/types.js';
import { when } from '../format.js';
import { instanceChange } from '../live-updates.js';
import { useResource } from '../use-resource.js';
import { Guard } from './states.js';
import { Table } from './table.js';

const shown = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

export function DecisionEvaluations({ instanceId }: { instanceId: string }) {
  const evaluations = useResource(
    () => api<Page<DecisionInstance>>('GET', `/decision-instances${query({ process_instance_id: instanceId, limit: 100 })}`),
    [instanceId],
    { live: instanceChange(instanceId) },
  );
  if (evaluations.error instanceof ApiError && evaluations.error.status === 403) return null;
  return (
    <Guard resource={evaluations} what="decisions">
      {(page) => page.data.length > 0 && (
        <section class="panel" aria-labelledby="decisions-title">
          <h2 id="decisions-title">Decisions evaluated</h2>
          <Table
            items={page.data} empty="" headers={['When', 'Decision', 'At', 'Inputs', 'Outputs']}
            row={(d) => (
              <tr key={d.id}>
                <td>{when(d.evaluated_at)}</td>
                <td>{d.decision_name || d.decision_key} <small>v{d.version}</small>{d.root_decision_instance_id && <small> (required)</small>}</td>
                <td>{d.activity_id ? <code>{d.activity_id}</code> : '—'}</td>
                <td>{d.inputs.map((input) => <div key={input.input_id}>{input.label ?? input.input_id}: {shown(input.value)}</div>)}</td>
                <td>
                  {d.outputs.length === 0 ? 'no rule matched' : d.outputs.map((output, n) => (
                    <div key={n}>{output.rule_order !== undefined && <small>rule {output.rule_order}: </small>}{output.label ?? output.name} = {shown(output.value)}</div>
                  ))}
                  {d.collect_result_value !== undefined && <div>collected: {shown(d.collect_result_value)}</div>}
                </td>
              </tr>
            )}
          />
        </section>
      )}
    </Guard>
  );
}
