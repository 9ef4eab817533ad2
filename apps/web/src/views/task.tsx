// One task: who has it (claim, unclaim, assign, delegate, resolve) and completing it through its form: a
// form-js form when the model embeds one, a form generated from its declared fields, else a plain button.
import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { TaskDetails } from '../api/types.js';
import { ErrorMessage, Guard } from '../components/states.js';
import { Status } from '../components/status.js';
import { fieldProblems } from '../forms/field-problems.js';
import { FormJsForm } from '../forms/form-js-form.js';
import { GeneratedForm, type SubmittedVariables } from '../forms/generated-form.js';
import { when } from '../format.js';
import { useUser } from '../identity.js';
import { taskChange } from '../live-updates.js';
import { href, navigate } from '../router.js';
import { useCommand } from '../use-command.js';
import { useResource } from '../use-resource.js';

const OPEN = new Set(['created', 'assigned', 'delegated']);

export function Task({ id }: { id: string }) {
  const task = useResource(() => api<TaskDetails>('GET', `/tasks/${id}`), [id], { live: taskChange });
  return <Guard resource={task} what="the task">{(t) => <TaskPage task={t} reload={task.reload} />}</Guard>;
}

function TaskPage({ task: t, reload }: { task: TaskDetails; reload: () => void }) {
  const open = OPEN.has(t.status);
  return (
    <>
      <h1>{t.name} <Status value={t.status} /></h1>
      {t.description && <p>{t.description}</p>}
      <dl class="facts">
        <dt>Process</dt><dd>{t.process_definition_key}, <a href={href(`/instances/${t.process_instance_id}`)}>instance <code>{t.process_instance_id}</code></a></dd>
        <dt>Assignee</dt><dd>{t.assignee ?? '—'}{t.owner && ` (owner ${t.owner})`}{t.delegation_state && `, delegation ${t.delegation_state}`}</dd>
        <dt>Candidates</dt><dd>{[...t.candidate_groups.map((g) => `group ${g}`), ...t.candidate_users].join(', ') || '—'}</dd>
        <dt>Due</dt><dd>{when(t.due)}</dd>
        <dt>Priority</dt><dd>{t.priority}</dd>
        <dt>Created</dt><dd>{when(t.created)}</dd>
      </dl>
      {open && <Assignment task={t} onDone={reload} />}
      {open && <Completion task={t} />}
    </>
  );
}

function Assignment({ task: t, onDone }: { task: TaskDetails; onDone: () => void }) {
  const user = useUser();
  const command = useCommand();
  const [other, setOther] = useState('');
  const post = (action: string, body: Record<string, unknown> = {}) => () =>
    void command.run(() => api('POST', `/tasks/${t.id}/${action}`, body)).then((r) => r !== undefined && onDone());
  const delegated = t.delegation_state === 'pending';
  return (
    <section class="panel" aria-labelledby="assignment-title">
      <h2 id="assignment-title">Assignment</h2>
      <div class="actions">
        {!t.assignee && <button type="button" disabled={command.busy} onClick={post('claim', { user_id: user.id })}>Claim</button>}
        {t.assignee && !delegated && <button type="button" class="secondary" disabled={command.busy} onClick={post('unclaim')}>Unclaim</button>}
        {delegated && <button type="button" disabled={command.busy} onClick={post('resolve')}>Resolve (back to {t.owner})</button>}
      </div>
      <form class="inline" onSubmit={(e) => e.preventDefault()}>
        <label>User <input value={other} onInput={(e) => setOther(e.currentTarget.value)} placeholder="user id" /></label>
        <button type="button" class="secondary" disabled={command.busy || !other.trim()} onClick={post('assign', { user_id: other.trim() })}>Assign</button>
        {!delegated && <button type="button" class="secondary" disabled={command.busy || !other.trim()} onClick={post('delegate', { user_id: other.trim() })}>Delegate</button>}
      </form>
      <ErrorMessage error={command.error} />
    </section>
  );
}

function Completion({ task: t }: { task: TaskDetails }) {
  const user = useUser();
  const complete = useCommand();
  const submit = async (variables: SubmittedVariables) => {
    const done = await complete.run(() => api<TaskDetails>('POST', `/tasks/${t.id}/complete`, { variables, user_id: user.id }));
    if (done) navigate(`/instances/${t.process_instance_id}`);
  };
  const current = Object.fromEntries(Object.entries(t.variables).map(([name, v]) => [name, v.value]));
  return (
    <section class="panel" aria-labelledby="complete-title">
      <h2 id="complete-title">Complete the task</h2>
      <ErrorMessage error={complete.error} />
      {t.form_schema ? (
        <FormJsForm schema={t.form_schema} data={current} submitLabel="Complete" busy={complete.busy} onSubmit={(v) => void submit(v)} />
      ) : (
        <GeneratedForm fields={t.form_fields} current={t.variables} problems={fieldProblems(complete.error)} submitLabel="Complete" busy={complete.busy} onSubmit={(v) => void submit(v)} />
      )}
    </section>
  );
}
