// Deployed processes (the latest version of each), and deploying a new model.
import { api, query } from '../api/client.js';
import type { Page, ProcessDefinition } from '../api/types.js';
import { DeployDropZone } from '../components/deploy-drop-zone.js';
import { Guard } from '../components/states.js';
import { Table } from '../components/table.js';
import { when } from '../format.js';
import { href } from '../router.js';
import { useResource } from '../use-resource.js';

export function Processes() {
  const definitions = useResource(() => api<Page<ProcessDefinition>>('GET', `/definitions${query({ latest: true, limit: 200, sort: 'name' })}`), []);
  return (
    <>
      <h1>Processes</h1>
      <DeployDropZone onDeployed={definitions.reload} />
      <section class="panel" aria-labelledby="processes-title">
        <h2 id="processes-title">Deployed processes</h2>
        <Guard resource={definitions} what="processes">
          {(page) => (
            <Table
              items={page.data} empty="No process is deployed yet. Drop a model above to deploy one."
              headers={['Name', 'Key', 'Version', 'Instances', 'State', 'Deployed']}
              row={(d) => (
                <tr key={d.id}>
                  <td><a href={href(`/processes/${d.id}`)}>{d.name || d.key}</a></td>
                  <td><code>{d.key}</code></td>
                  <td>{d.version}</td>
                  <td><a href={href('/instances', { process_definition_key: d.key })}>{d.instances}</a></td>
                  <td>{d.suspended ? 'suspended' : 'active'}</td>
                  <td>{when(d.deployed_at)}</td>
                </tr>
              )}
            />
          )}
        </Guard>
      </section>
    </>
  );
}
