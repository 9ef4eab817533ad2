// Moving the running instances of one version to another version of its process, as Camunda's Cockpit
// migrates them: the generated plan (the elements of the same id and kind) is shown first, then every
// running instance moves in one command, or none does and each problem is named by instance and element.
import { useState } from 'preact/hooks';
import { api, query } from '../api/client.js';
import type { MigrationPlan, MigrationResult, Page, ProcessDefinition, ProcessInstance } from '../api/types.js';
import { href } from '../router.js';
import { useCommand } from '../use-command.js';
import { useResource } from '../use-resource.js';
import { ErrorMessage, Guard } from './states.js';

/** the instances one migration moves at most, as the service takes them */
const MAX_INSTANCES = 1000;

/** the ids of the version's running instances, active or suspended */
async function runningInstances(definitionId: string): Promise<string[]> {
  const pages = await Promise.all(['active', 'suspended'].map((status) =>
    api<Page<ProcessInstance>>('GET', `/instances${query({ process_definition_id: definitionId, status, limit: MAX_INSTANCES })}`)));
  return pages.flatMap((page) => page.data.map((instance) => instance.id));
}

export function MigrateInstances({ definition: d, versions }: { definition: ProcessDefinition; versions: readonly ProcessDefinition[] }) {
  const targets = versions.filter((v) => v.id !== d.id);
  const [target, setTarget] = useState(targets[0]?.id ?? '');
  const running = useResource(() => runningInstances(d.id), [d.id]);
  const plan = useResource(
    () => api<MigrationPlan>('POST', '/migrations/plan', { source_definition_id: d.id, target_definition_id: target }),
    [d.id, target], { live: false, enabled: target !== '' },
  );
  const migrate = useCommand();
  const [migrated, setMigrated] = useState<{ count: number; version: number }>();
  if (!targets.length) return null;
  const version = targets.find((v) => v.id === target)?.version;

  const run = async (instanceIds: string[], instructions: MigrationPlan['instructions']) => {
    const result = await migrate.run(() => api<MigrationResult>('POST', '/migrations', { target_definition_id: target, process_instance_ids: instanceIds, instructions }));
    if (result) {
      setMigrated({ count: result.process_instance_ids.length, version: version! });
      running.reload();
    }
  };

  return (
    <section class="panel" aria-labelledby="migrate-title">
      <h2 id="migrate-title">Migrate running instances</h2>
      <label class="inline">To version{' '}
        <select value={target} onChange={(e) => { setTarget(e.currentTarget.value); setMigrated(undefined); }}>
          {targets.map((v) => <option key={v.id} value={v.id}>{v.version}</option>)}
        </select>
      </label>
      <Guard resource={plan} what="the migration plan">
        {(p) => (
          <table>
            <caption>Each element maps to the target's element of its id and kind; an instance at an element not listed cannot move</caption>
            <thead><tr><th>From</th><th>To</th></tr></thead>
            <tbody>{p.instructions.map((i) => <tr key={i.source_activity_id}><td><code>{i.source_activity_id}</code></td><td><code>{i.target_activity_id}</code></td></tr>)}</tbody>
          </table>
        )}
      </Guard>
      <Guard resource={running} what="the running instances">
        {(ids) => (
          <div class="actions">
            <button type="button" disabled={migrate.busy || ids.length === 0 || !plan.data}
              onClick={() => void run(ids, plan.data!.instructions)}>
              Migrate {ids.length} running {ids.length === 1 ? 'instance' : 'instances'} to version {version}
            </button>
          </div>
        )}
      </Guard>
      {migrated && (
        <p class="notice" role="status">
          Migrated {migrated.count} {migrated.count === 1 ? 'instance' : 'instances'} to version {migrated.version}:{' '}
          <a href={href('/instances', { process_definition_key: d.key })}>the instances of {d.key}</a>
        </p>
      )}
      <ErrorMessage error={migrate.error} />
    </section>
  );
}
