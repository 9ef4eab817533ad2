// The task workbench: my tasks, my groups' tasks and unassigned ones, filtered and sorted by due date,
// priority or creation. Who "I" am comes from the token, or is named here when the service has no sign-in.
import { api, query } from '../api/client.js';
import type { Page, TaskDetails } from '../api/types.js';
import { PagedTable } from '../components/paged-table.js';
import { when } from '../format.js';
import { setLocalUser, useUser, type User } from '../identity.js';
import { taskChange } from '../live-updates.js';
import { href, navigate, type Route } from '../router.js';
import { useResource } from '../use-resource.js';

const VIEWS = { mine: 'My tasks', groups: 'My groups\' tasks', unassigned: 'Unassigned' } as const;
type View = keyof typeof VIEWS;
const SORTS = { due: 'Due date', '-priority': 'Priority', '-created': 'Newest' } as const;
const PAGE_SIZE = 50;

/** The list's filter for a view (my groups' tasks: those of the group chosen); undefined when I name no group. */
function viewFilter(view: View, user: User, group: string): Record<string, string | boolean> | undefined {
  if (view === 'mine') return { assignee: user.id };
  if (view === 'groups') {
    const chosen = group || user.groups[0];
    return chosen === undefined ? undefined : { candidate_group: chosen };
  }
  return { unassigned: true };
}

const NO_TASKS: Page<TaskDetails> = { data: [], total: 0, limit: PAGE_SIZE, offset: 0 };

export function Tasks({ route }: { route: Route }) {
  const user = useUser();
  const view = (route.query.get('view') ?? 'mine') as View;
  const sort = route.query.get('sort') ?? 'due';
  const group = route.query.get('group') ?? '';
  const processKey = route.query.get('process_definition_key') ?? '';
  const offset = Number(route.query.get('offset') ?? 0);
  const filter = viewFilter(view, user, group);
  const tasks = useResource(
    async () => filter === undefined ? NO_TASKS
      : api<Page<TaskDetails>>('GET', `/tasks${query({ ...filter, process_definition_key: processKey, sort, limit: PAGE_SIZE, offset })}`),
    [route.query.toString(), user.id, user.groups.join()],
    { live: taskChange },
  );
  const change = (next: Record<string, string | number | undefined>) =>
    navigate('/tasks', { view, sort, group, process_definition_key: processKey, ...next });

  return (
    <>
      <h1>Tasks</h1>
      <WorkingAs user={user} />
      <nav class="tabs" aria-label="Task lists">
        {(Object.keys(VIEWS) as View[]).map((v) => (
          <a key={v} href={href('/tasks', { view: v, sort })} aria-current={v === view ? 'page' : undefined}>{VIEWS[v]}</a>
        ))}
      </nav>
      <div class="filters">
        {view === 'groups' && (
          <label>Group
            <select value={group || user.groups[0] || ''} onChange={(e) => change({ group: e.currentTarget.value, offset: undefined })}>
              {user.groups.length === 0 && <option value="">(name your groups above)</option>}
              {user.groups.map((g) => <option key={g} value={g}>{g}</option>)}
            </select>
          </label>
        )}
        <label>Sort by
          <select value={sort} onChange={(e) => change({ sort: e.currentTarget.value, offset: undefined })}>
            {Object.entries(SORTS).map(([value, label]) => <option key={value} value={value}>{label}</option>)}
          </select>
        </label>
        <form class="inline" onSubmit={(e) => { e.preventDefault(); change({ process_definition_key: String(new FormData(e.currentTarget).get('key') ?? ''), offset: undefined }); }}>
          <label>Process key <input name="key" defaultValue={processKey} /></label>
          <button type="submit" class="secondary">Filter</button>
        </form>
      </div>
      <PagedTable
        resource={tasks} what="tasks"
        empty={filter === undefined ? 'Name the groups you work in above to see their tasks.' : 'No task here.'}
        headers={['Task', 'Process', 'Assignee', 'Due', 'Priority', 'Created']}
        pageSize={PAGE_SIZE} offset={offset} onOffset={(o) => change({ offset: o })}
        row={(t) => (
          <tr key={t.id} class={t.due && new Date(t.due) < new Date() ? 'overdue' : undefined}>
            <td><a href={href(`/tasks/${t.id}`)}>{t.name}</a></td>
            <td>{t.process_definition_key}</td>
            <td>{t.assignee ?? '—'}</td>
            <td>{when(t.due)}</td>
            <td>{t.priority}</td>
            <td>{when(t.created)}</td>
          </tr>
        )}
      />
    </>
  );
}

function WorkingAs({ user }: { user: User }) {
  if (user.fromToken) return <p>Signed in as <strong>{user.id}</strong>{user.groups.length > 0 && `, in ${user.groups.join(', ')}`}.</p>;
  return (
    <form class="filters working-as" onSubmit={(e) => {
      e.preventDefault();
      const data = new FormData(e.currentTarget);
      const id = String(data.get('user') ?? '').trim();
      const groups = String(data.get('groups') ?? '').split(',').map((g) => g.trim()).filter((g) => g !== '');
      if (id) setLocalUser(id, groups);
    }}>
      <label>Working as <input name="user" defaultValue={user.id} required /></label>
      <label>in groups <input name="groups" defaultValue={user.groups.join(', ')} placeholder="comma separated" /></label>
      <button type="submit" class="secondary">Use</button>
    </form>
  );
}
