// One process definition: its diagram, its versions, suspending it, starting an instance through its start
// form (a form-js form, a form generated from its declared fields, or none), and migrating its running
// instances to another version.
import { useState } from 'preact/hooks';
import { api, query } from '../api/client.js';
import type { Page, ProcessDefinition, ProcessInstance } from '../api/types.js';
import { Diagram } from '../components/diagram.js';
import { MigrateInstances } from '../components/migrate-instances.js';
import { ErrorMessage, Guard } from '../components/states.js';
import { fieldProblems } from '../forms/field-problems.js';
import { FormJsForm } from '../forms/form-js-form.js';
import { GeneratedForm, type SubmittedVariables } from '../forms/generated-form.js';
import { when } from '../format.js';
import { href, navigate } from '../router.js';
import { useCommand } from '../use-command.js';
import { useResource } from '../use-resource.js';

export function Definition({ id }: { id: string }) {
  const definition = useResource(() => api<ProcessDefinition>('GET', `/definitions/${id}`), [id]);
  return (
    <Guard resource={definition} what="the process">
      {(d) => <DefinitionPage definition={d} reload={definition.reload} />}
    </Guard>
  );
}

function DefinitionPage({ definition: d, reload }: { definition: ProcessDefinition; reload: () => void }) {
  const versions = useResource(() => api<Page<ProcessDefinition>>('GET', `/definitions${query({ key: d.key, sort: '-version', limit: 100 })}`), [d.key]);
  const suspend = useCommand();
  return (
    <>
      <h1>{d.name || d.key} <small>version {d.version}</small></h1>
      <dl class="facts">
        <dt>Key</dt><dd><code>{d.key}</code></dd>
        <dt>State</dt><dd>{d.suspended ? 'suspended' : 'active'}</dd>
        <dt>Deployed</dt><dd>{when(d.deployed_at)} by {d.deployed_by}</dd>
        <dt>Instances</dt><dd><a href={href('/instances', { process_definition_key: d.key })}>{d.instances} of this version; all of {d.key}</a></dd>
        {d.description && <><dt>Description</dt><dd>{d.description}</dd></>}
      </dl>
      <div class="actions">
        <button type="button" class="secondary" disabled={suspend.busy}
          onClick={() => void suspend.run(() => api('PUT', `/definitions/${d.id}/suspended`, { suspended: !d.suspended })).then(reload)}>
          {d.suspended ? 'Activate' : 'Suspend'} this version
        </button>
        <Guard resource={versions} what="versions">
          {(page) => page.total > 1 && (
            <label class="inline">
              Version{' '}
              <select value={d.id} onChange={(e) => navigate(`/processes/${e.currentTarget.value}`)}>
                {page.data.map((v) => <option key={v.id} value={v.id}>{v.version}</option>)}
              </select>
            </label>
          )}
        </Guard>
      </div>
      <ErrorMessage error={suspend.error} />
      <Diagram xml={d.bpmn_xml ?? ''} label={`Diagram of ${d.name || d.key}`} />
      {!d.suspended && <StartInstance definition={d} />}
      {versions.data && versions.data.total > 1 && <MigrateInstances definition={d} versions={versions.data.data} />}
    </>
  );
}

function StartInstance({ definition: d }: { definition: ProcessDefinition }) {
  const [businessKey, setBusinessKey] = useState('');
  const start = useCommand();
  const submit = async (variables: SubmittedVariables) => {
    const instance = await start.run(() => api<ProcessInstance>('POST', '/instances', {
      process_definition_id: d.id, variables, ...(businessKey.trim() ? { business_key: businessKey.trim() } : {}),
    }));
    if (instance) navigate(`/instances/${instance.id}`);
  };
  return (
    <section class="panel" aria-labelledby="start-title">
      <h2 id="start-title">Start an instance</h2>
      <div class="field">
        <label for="business-key">Business key (optional)</label>
        <input id="business-key" value={businessKey} onInput={(e) => setBusinessKey(e.currentTarget.value)} />
      </div>
      {d.start_form?.schema
        ? <FormJsForm schema={d.start_form.schema} data={{}} submitLabel="Start instance" busy={start.busy} onSubmit={(v) => void submit(v)} />
        : <GeneratedForm fields={d.start_form?.fields ?? []} problems={fieldProblems(start.error)} submitLabel="Start instance" busy={start.busy} onSubmit={(v) => void submit(v)} />}
      <ErrorMessage error={start.error} />
    </section>
  );
}
