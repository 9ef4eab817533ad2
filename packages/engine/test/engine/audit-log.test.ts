// The audit log across instances and definitions: what each entry acted on, its filters, its order and who sees it.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Caller, ListedAuditEntry } from '../../src/index.js';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';
import { waitingAtUserTask } from '../support/models.js';

const START = Date.parse('2024-03-01T10:00:00.000Z');
const minute = (n: number) => new Date(START + n * 60_000).toISOString();
const summary = (entries: ListedAuditEntry[]) => entries.map((e) => [e.operation, e.entity_type, e.category, e.property ?? null, e.user_id ?? null]);

describe.each(testBackends())('the audit log on %s', (backend) => {
  let clock = START;
  const engine = engineUnderTest(backend, 'audit-log', [waitingAtUserTask('logged')], { now: () => new Date(clock) });
  let worked = '';
  let other = '';
  let tenants = '';

  beforeAll(async () => {
    const step = async <T>(work: () => Promise<T>): Promise<T> => {
      clock += 60_000;
      return work();
    };
    worked = (await step(() => engine().startInstance({ process_definition_key: 'logged', started_by: 'alice' }))).id;
    await step(() => engine().updateVariables(worked, [{ variable_name: 'amount', value: 5 }], { user_id: 'bob' }));
    const { data: [task] } = await engine().listTasks({ process_instance_id: worked });
    await step(() => engine().claimTask(task!.id, 'carol'));
    await step(() => engine().setInstanceSuspended(worked, true, { user_id: 'dave' }));
    await step(() => engine().setInstanceSuspended(worked, false, { user_id: 'dave' }));
    await step(() => engine().completeTask(task!.id, { user_id: 'carol' }));
    other = (await step(() => engine().startInstance({ process_definition_key: 'logged', started_by: 'erin' }))).id;
    await step(() => engine().deploy({ bpmn_xml: waitingAtUserTask('tenanted'), tenant_id: 'globex' }));
    tenants = (await step(() => engine().startInstance({ process_definition_key: 'tenanted', tenant_id: 'globex', started_by: 'alice' }))).id;
  });

  it('says what each operation on an instance acted on, and who does such operations', async () => {
    const { data, total } = await engine().listAuditEntries({ process_instance_id: worked });
    expect(total).toBe(6);
    expect(summary(data)).toEqual([
      ['Start', 'ProcessInstance', 'Operator', null, 'alice'],
      ['SetVariable', 'Variable', 'Operator', 'amount', 'bob'],
      ['Claim', 'Task', 'TaskWorker', 'assignee', 'carol'],
      ['Suspend', 'ProcessInstance', 'Operator', null, 'dave'],
      ['Activate', 'ProcessInstance', 'Operator', null, 'dave'],
      ['Complete', 'Task', 'TaskWorker', null, 'carol'],
    ]);
    expect(data[1]).toMatchObject({ new_value: '5', process_definition_key: 'logged', timestamp: minute(2) });
    expect(data[1]!.org_value).toBeUndefined();
    expect(data[2]).toMatchObject({ new_value: 'carol', task_id: expect.any(String) });
    expect(data[2]!.org_value).toBeUndefined();
  });

  it('lists the entries of every instance and definition, oldest first or newest first', async () => {
    const all = await engine().listAuditEntries({ limit: 100 });
    expect(all.total).toBe(10);
    expect(all.data[0]).toMatchObject({ operation: 'Deploy', process_definition_key: 'logged' });
    expect(all.data.map((e) => e.timestamp)).toEqual([...all.data.map((e) => e.timestamp)].sort());
    const deploy = all.data.find((e) => e.operation === 'Deploy' && e.tenant_id === 'globex');
    expect(deploy).toMatchObject({ entity_type: 'Deployment', category: 'Operator', process_definition_key: 'tenanted' });
    expect(deploy!.process_instance_id).toBeUndefined();
    const newest = await engine().listAuditEntries({ sort: '-timestamp', limit: 2 });
    expect(newest.data.map((e) => [e.operation, e.process_instance_id])).toEqual([['Start', tenants], ['Deploy', undefined]]);
    expect(newest.total).toBe(10);
  });

  it('filters by what was done, to what, by whom and when, the bounds of a period excluded', async () => {
    const ops = async (query: Parameters<ReturnType<typeof engine>['listAuditEntries']>[0]) =>
      (await engine().listAuditEntries(query)).data.map((e) => e.operation);
    expect(await ops({ entity_types: ['Task'] })).toEqual(['Claim', 'Complete']);
    expect(await ops({ entity_types: ['Variable', 'Deployment'], process_definition_key: 'logged' })).toEqual(['Deploy', 'SetVariable']);
    expect(await ops({ categories: ['TaskWorker'] })).toEqual(['Claim', 'Complete']);
    expect(await ops({ entity_types: [] })).toEqual([]);
    expect(await ops({ user_id: 'dave' })).toEqual(['Suspend', 'Activate']);
    expect(await ops({ operation: 'Start', process_definition_key: 'logged' })).toEqual(['Start', 'Start']);
    expect(await ops({ property: 'amount' })).toEqual(['SetVariable']);
    expect(await ops({ after: minute(3), before: minute(6) })).toEqual(['Suspend', 'Activate']);
    const { data: [task] } = await engine().listTasks({ process_instance_id: worked, status: 'completed' });
    expect(await ops({ task_id: task!.id })).toEqual(['Claim', 'Complete']);
    const [start] = (await engine().listAuditEntries({ process_instance_id: other })).data;
    expect(await ops({ id: start!.id })).toEqual(['Start']);
  });

  it('shows a caller only its tenants, and a plain user only the instances it may read', async () => {
    const acme: Caller = { user_id: 'op', groups: [], roles: ['operator'], tenant_ids: [] };
    const seen = await engine().as(acme).listAuditEntries({ limit: 100 });
    expect(seen.total).toBe(8);
    expect(seen.data.some((e) => e.tenant_id === 'globex')).toBe(false);
    const erin: Caller = { user_id: 'erin', groups: [], roles: [], tenant_ids: [] };
    const own = await engine().as(erin).listAuditEntries({ operation: 'Start' });
    expect(own.data.map((e) => e.process_instance_id)).toEqual([other]);
  });
});
