// Deploys a .bpmn file dropped here or chosen with the button, with the form-js .form files and the DMN
// .dmn files dropped or chosen with it (the forms its tasks and start event link to by id, the decisions
// its business rule tasks evaluate); .dmn files alone deploy their decisions. A refused model lists each
// problem beside the id of the element it concerns, as the service's 422 names them.
import { useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import type { DecisionDeploymentResult, DeploymentResult } from '../api/types.js';
import { href } from '../router.js';
import { ErrorMessage } from './states.js';

/** what a deployment made: processes, each with the link to its page, or decisions */
type Made = { id: string; label: string; version: number; link?: string };
type Outcome = { kind: 'deployed'; made: Made[]; file: string } | { kind: 'failed'; error: Error; file: string };

const endsWith = (suffix: string) => (file: File) => file.name.toLowerCase().endsWith(suffix);
const isForm = endsWith('.form');
const isDecisions = endsWith('.dmn');

/** What was dropped or chosen: one model with its forms and decisions, or decisions alone; or why it cannot be deployed. */
function deployment(files: readonly File[]): { model?: File; forms: File[]; decisions: File[] } | string {
  const models = files.filter((file) => !isForm(file) && !isDecisions(file));
  const forms = files.filter(isForm);
  const decisions = files.filter(isDecisions);
  if (models.length > 1) return 'Deploy one model at a time (with its .form and .dmn files).';
  if (!models.length && (forms.length || !decisions.length)) return 'A deployment needs a .bpmn model beside its .form files, or .dmn files.';
  return { model: models[0], forms, decisions };
}

/** the model with its forms and decisions, in one deployment; or each DMN file, one after the other */
async function deployed({ model, forms, decisions }: { model?: File; forms: File[]; decisions: File[] }): Promise<Made[]> {
  if (!model) {
    const made: Made[] = [];
    for (const file of decisions) {
      const body = new FormData();
      body.set('file', file, file.name);
      body.set('name', file.name);
      const answer = await api<DecisionDeploymentResult>('POST', '/decisions', body);
      made.push(...answer.decisions.map((d) => ({ id: d.id, label: d.name || d.key, version: d.version })));
    }
    return made;
  }
  const body = new FormData();
  body.set('file', model, model.name);
  for (const form of forms) body.append('form', form, form.name);
  for (const file of decisions) body.append('decision', file, file.name);
  body.set('name', model.name);
  const answer = await api<DeploymentResult>('POST', '/definitions', body);
  return answer.definitions.map((d) => ({ id: d.id, label: d.name || d.key, version: d.version, link: href(`/processes/${d.id}`) }));
}

export function DeployDropZone({ onDeployed }: { onDeployed: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();

  const deploy = async (list: FileList | null | undefined) => {
    const files = [...(list ?? [])];
    if (!files.length) return;
    const chosen = deployment(files);
    const names = files.map((file) => file.name).join(', ');
    if (typeof chosen === 'string') {
      setOutcome({ kind: 'failed', error: new Error(chosen), file: names });
      return;
    }
    setBusy(true);
    setOutcome(undefined);
    try {
      setOutcome({ kind: 'deployed', made: await deployed(chosen), file: names });
      onDeployed();
    } catch (error) {
      setOutcome({ kind: 'failed', error: error as Error, file: names });
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };

  return (
    <section class="panel" aria-labelledby="deploy-title">
      <h2 id="deploy-title">Deploy a model</h2>
      <div
        class={`drop-zone${dragging ? ' dragging' : ''}`}
        data-testid="drop-zone"
        onDragOver={(e) => { e.preventDefault(); setDragging(true); }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => { e.preventDefault(); setDragging(false); void deploy(e.dataTransfer?.files); }}
      >
        <p>Drop a <code>.bpmn</code> file here, with the <code>.form</code> and <code>.dmn</code> files it uses (or <code>.dmn</code> files alone), or</p>
        <label class="button">
          Choose files
          <input ref={input} type="file" multiple accept=".bpmn,.xml,.form,.dmn,application/xml,text/xml" class="visually-hidden" onChange={(e) => void deploy(e.currentTarget.files)} />
        </label>
        {busy && <p role="status">Deploying…</p>}
      </div>
      {outcome?.kind === 'deployed' && (
        <div class="notice" role="status">
          <p>Deployed {outcome.file}:</p>
          <ul>
            {outcome.made.map((d) => (
              <li key={d.id}>{d.link ? <a href={d.link}>{d.label}</a> : d.label} version {d.version}</li>
            ))}
          </ul>
        </div>
      )}
      {outcome?.kind === 'failed' && (
        <>
          <p class="error-title">{outcome.file} {outcome.file.includes(',') ? 'were' : 'was'} not deployed{outcome.error instanceof ApiError && outcome.error.status === 422 ? ': the model has problems' : ''}.</p>
          <ErrorMessage error={outcome.error} />
        </>
      )}
    </section>
  );
}
