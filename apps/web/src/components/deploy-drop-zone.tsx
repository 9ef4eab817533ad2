// Deploys a .bpmn file dropped here or chosen with the button, with the form-js .form files dropped or
// chosen with it (the forms its tasks and start event link to by id). A refused model lists each problem
// beside the id of the element it concerns, as the service's 422 names them.
import { useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import type { DeploymentResult } from '../api/types.js';
import { href } from '../router.js';
import { ErrorMessage } from './states.js';

type Outcome = { kind: 'deployed'; answer: DeploymentResult; file: string } | { kind: 'failed'; error: Error; file: string };

const isForm = (file: File) => file.name.toLowerCase().endsWith('.form');

/** What was dropped or chosen: one model and its forms, or why it cannot be deployed. */
function deployment(files: readonly File[]): { model: File; forms: File[] } | string {
  const models = files.filter((file) => !isForm(file));
  if (models.length !== 1) return models.length ? 'Deploy one model at a time (with its .form files).' : 'A deployment needs a .bpmn model beside its .form files.';
  return { model: models[0]!, forms: files.filter(isForm) };
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
    const body = new FormData();
    body.set('file', chosen.model, chosen.model.name);
    for (const form of chosen.forms) body.append('form', form, form.name);
    body.set('name', chosen.model.name);
    try {
      const answer = await api<DeploymentResult>('POST', '/definitions', body);
      setOutcome({ kind: 'deployed', answer, file: names });
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
        <p>Drop a <code>.bpmn</code> file here, with the <code>.form</code> files it links to, or</p>
        <label class="button">
          Choose files
          <input ref={input} type="file" multiple accept=".bpmn,.xml,.form,application/xml,text/xml" class="visually-hidden" onChange={(e) => void deploy(e.currentTarget.files)} />
        </label>
        {busy && <p role="status">Deploying…</p>}
      </div>
      {outcome?.kind === 'deployed' && (
        <div class="notice" role="status">
          <p>Deployed {outcome.file}:</p>
          <ul>
            {outcome.answer.definitions.map((d) => (
              <li key={d.id}><a href={href(`/processes/${d.id}`)}>{d.name || d.key}</a> version {d.version}</li>
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
