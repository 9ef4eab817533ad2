// Deploys a .bpmn file dropped here or chosen with the button. A refused model lists each problem beside
// the id of the element it concerns, as the service's 422 names them.
import { useRef, useState } from 'preact/hooks';
import { api, ApiError } from '../api/client.js';
import type { DeploymentResult } from '../api/types.js';
import { href } from '../router.js';
import { ErrorMessage } from './states.js';

type Outcome = { kind: 'deployed'; answer: DeploymentResult; file: string } | { kind: 'failed'; error: Error; file: string };

export function DeployDropZone({ onDeployed }: { onDeployed: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>();

  const deploy = async (file: File | undefined) => {
    if (!file) return;
    setBusy(true);
    setOutcome(undefined);
    const body = new FormData();
    body.set('file', file, file.name);
    body.set('name', file.name);
    try {
      const answer = await api<DeploymentResult>('POST', '/definitions', body);
      setOutcome({ kind: 'deployed', answer, file: file.name });
      onDeployed();
    } catch (error) {
      setOutcome({ kind: 'failed', error: error as Error, file: file.name });
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
        onDrop={(e) => { e.preventDefault(); setDragging(false); void deploy(e.dataTransfer?.files[0]); }}
      >
        <p>Drop a <code>.bpmn</code> file here, or</p>
        <label class="button">
          Choose a file
          <input ref={input} type="file" accept=".bpmn,.xml,application/xml,text/xml" class="visually-hidden" onChange={(e) => void deploy(e.currentTarget.files?.[0])} />
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
          <p class="error-title">{outcome.file} was not deployed{outcome.error instanceof ApiError && outcome.error.status === 422 ? ': the model has problems' : ''}.</p>
          <ErrorMessage error={outcome.error} />
        </>
      )}
    </section>
  );
}
