// Process instances, filtered by status, process and business key; the filters live in the address, so a
// filtered list can be bookmarked and shared.
import { api, query } from '../api/client.js';
import type { Page, ProcessInstance } from '../api/types.js';
import { PagedTable } from '../components/paged-table.js';
import { Status } from '../components/status.js';
import { when } from '../format.js';
import { href, navigate, type Route } from '../router.js';
import { useResource } from '../use-resource.js';

const STATUSES = ['active', 'suspended', 'completed', 'terminated', 'externally_terminated'];
const PAGE_SIZE = 50;

export function Instances({ route }: { route: Route }) {
  const filters = {
    status: route.query.get('status') ?? '',
    process_definition_key: route.query.get('process_definition_key') ?? '',
    business_key: route.query.get('business_key') ?? '',
    super_instance_id: route.query.get('super_instance_id') ?? '',
  };
  const offset = Number(route.query.get('offset') ?? 0);
  const instances = useResource(
    () => api<Page<ProcessInstance>>('GET', `/instances${query({ ...filters, limit: PAGE_SIZE, offset, sort: '-start_time' })}`),
    [route.query.toString()],
  );
  const change = (next: Partial<typeof filters> & { offset?: number }) => navigate('/instances', { ...filters, offset: undefined, ...next });

  return (
    <>
      <h1>Instances</h1>
      <form class="filters" onSubmit={(e) => {
        e.preventDefault();
        const data = new FormData(e.currentTarget);
        change({ process_definition_key: String(data.get('key') ?? ''), business_key: String(data.get('business_key') ?? '') });
      }}>
        <label>Status
          <select value={filters.status} onChange={(e) => change({ status: e.currentTarget.value })}>
            <option value="">any</option>
            {STATUSES.map((s) => <option key={s} value={s}>{s.replace(/_/g, ' ')}</option>)}
          </select>
        </label>
        <label>Process key <input name="key" defaultValue={filters.process_definition_key} /></label>
        <label>Business key <input name="business_key" defaultValue={filters.business_key} /></label>
        <button type="submit">Filter</button>
      </form>
      <PagedTable
        resource={instances} what="instances" empty="No instance matches these filters."
        headers={['Instance', 'Process', 'Business key', 'Status', 'Started', 'Ended']}
        pageSize={PAGE_SIZE} offset={offset} onOffset={(o) => change({ offset: o })}
        row={(i) => (
          <tr key={i.id}>
            <td><a href={href(`/instances/${i.id}`)}><code>{i.id}</code></a></td>
            <td>{i.process_definition_name || i.process_definition_key}</td>
            <td>{i.business_key ?? '—'}</td>
            <td><Status value={i.status} /></td>
            <td>{when(i.start_time)}</td>
            <td>{when(i.end_time)}</td>
          </tr>
        )}
      />
    </>
  );
}
