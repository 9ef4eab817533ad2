// Call activities across instances: what the conformance fixtures cannot drive. The links between a caller
// and what it called, tenancy, suspension and termination down the tree, a called instance ended on its
// own, and callers and called instances driven at the same moment.
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../src/index.js';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';
import { camunda, flow } from '../support/job-engines.js';
import { waitingAtUserTask } from '../support/models.js';

/** start → call activity `call` calling `calledKey` → end; `extensions` go inside the call activity */
const calling = (key: string, calledKey: string, extensions = '') => camunda(key, `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'call')}
    <bpmn:callActivity id="call" calledElement="${calledKey}">${extensions && `<bpmn:extensionElements>${extensions}</bpmn:extensionElements>`}</bpmn:callActivity>${flow('f2', 'call', 'end')}
    <bpmn:endEvent id="end" />`);

/**
 * Three branches that end at one join: the call activity `call` (the called instance's `shipped` comes
 * back), user task `approve` and a catch of message `paid`.
 */
const threeBranches = camunda('ca_branches', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'split')}
    <bpmn:parallelGateway id="split" />${flow('f2', 'split', 'call')}${flow('f3', 'split', 'approve')}${flow('f4', 'split', 'paid')}
    <bpmn:callActivity id="call" calledElement="ca_leaf"><bpmn:extensionElements><camunda:out source="shipped" target="shipped" /></bpmn:extensionElements></bpmn:callActivity>
    <bpmn:userTask id="approve" />
    <bpmn:intermediateCatchEvent id="paid"><bpmn:messageEventDefinition messageRef="Paid" /></bpmn:intermediateCatchEvent>
    ${flow('f5', 'call', 'join')}${flow('f6', 'approve', 'join')}${flow('f7', 'paid', 'join')}
    <bpmn:parallelGateway id="join" />${flow('f8', 'join', 'end')}
    <bpmn:endEvent id="end" />`, '<bpmn:message id="Paid" name="paid" />');

const SIGNALS = '<bpmn:signal id="A" name="a" /><bpmn:signal id="B" name="b" />';
const catching = (id: string, signal: string) => `<bpmn:intermediateCatchEvent id="${id}"><bpmn:signalEventDefinition signalRef="${signal}" /></bpmn:intermediateCatchEvent>`;

/** start → a parallel split into `first` and `second`, each joined before the end */
const twoBranches = (key: string, first: string, second: string) => camunda(key, `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'split')}
    <bpmn:parallelGateway id="split" />${flow('f2', 'split', 'first')}${flow('f3', 'split', 'second')}
    ${first}${second}${flow('f4', 'first', 'join')}${flow('f5', 'second', 'join')}
    <bpmn:parallelGateway id="join" />${flow('f6', 'join', 'end')}
    <bpmn:endEvent id="end" />`, SIGNALS);

const MODELS = [
  waitingAtUserTask('ca_leaf'),
  calling('ca_middle', 'ca_leaf'),
  calling('ca_top', 'ca_middle'),
  threeBranches,
  // signal `a` reaches the called instance, `b` its caller; both reach an instance of ca_sig_both
  camunda('ca_sig_leaf', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'onA')}${catching('onA', 'A')}${flow('f2', 'onA', 'end')}
    <bpmn:endEvent id="end" />`, SIGNALS),
  twoBranches('ca_sig_caller', '<bpmn:callActivity id="first" calledElement="ca_sig_leaf" />', catching('second', 'B')),
  twoBranches('ca_sig_both', catching('first', 'A'), catching('second', 'B')),
];

describe.each(testBackends())('call activities on %s', (backend) => {
  const engine = engineUnderTest(backend, 'call-activities', MODELS);

  /** the instances `instanceId` called, oldest first */
  const calledBy = async (instanceId: string) =>
    (await engine().listInstances({ super_instance_id: instanceId, sort: 'start_time' })).data;

  /** the root instance of ca_top, its called ca_middle and that one's called ca_leaf */
  const startTree = async (tenant_id?: string) => {
    const top = await engine().startInstance({ process_definition_key: 'ca_top', tenant_id });
    const [middle] = await calledBy(top.id);
    const [leaf] = await calledBy(middle!.id);
    return { top, middle: middle!, leaf: leaf! };
  };

  const statusOf = async (id: string) => (await engine().getInstance(id)).status;
  const openTask = async (instanceId: string) => only((await engine().listTasks({ process_instance_id: instanceId })).data);

  it('links a caller and what it called both ways: super_instance_id, the list of called instances, called_instance_id', async () => {
    const { top, middle, leaf } = await startTree();
    expect(middle).toMatchObject({ process_definition_key: 'ca_middle', super_instance_id: top.id, status: 'active' });
    expect(leaf).toMatchObject({ process_definition_key: 'ca_leaf', super_instance_id: middle.id });
    expect((await engine().listInstances({ super_instance_id: top.id })).total).toBe(1);
    expect((await engine().listInstances({ super_instance_id: leaf.id })).total).toBe(0);

    const details = await engine().getInstance(top.id);
    expect(details.activities.filter((a) => a.activity_id === 'call')).toEqual([expect.objectContaining({ called_instance_id: middle.id })]);
    expect(details.current_activities.map((a) => a.activity_id)).toEqual(['call']);
    expect((await engine().getInstance(leaf.id)).super_instance_id).toBe(middle.id);
  });

  it('a called instance belongs to the tenant of its caller, though its definition has none', async () => {
    await engine().deploy({ bpmn_xml: calling('ca_top', 'ca_middle'), tenant_id: 'acme' });
    const { top, middle, leaf } = await startTree('acme');
    expect([top.tenant_id, middle.tenant_id, leaf.tenant_id]).toEqual(['acme', 'acme', 'acme']);
    expect((await openTask(leaf.id)).tenant_id).toBe('acme');
    expect((await engine().listInstances({ super_instance_id: top.id, tenant_id: 'acme' })).total).toBe(1);
  });

  it('suspending the caller suspends what it called, down the tree; activating it activates them', async () => {
    const { top, middle, leaf } = await startTree();
    await engine().setInstanceSuspended(top.id, true);
    expect(await Promise.all([top, middle, leaf].map((i) => statusOf(i.id)))).toEqual(['suspended', 'suspended', 'suspended']);
    const task = await openTask(leaf.id);
    await expect(engine().completeTask(task.id)).rejects.toMatchObject({ code: 'CONFLICT' });

    await engine().setInstanceSuspended(top.id, false);
    expect(await Promise.all([top, middle, leaf].map((i) => statusOf(i.id)))).toEqual(['active', 'active', 'active']);
    await engine().completeTask(task.id);
    expect(await Promise.all([top, middle, leaf].map((i) => statusOf(i.id)))).toEqual(['completed', 'completed', 'completed']);
  });

  it('terminating the caller terminates what it called, down the tree, and cancels their tasks', async () => {
    const { top, middle, leaf } = await startTree();
    const task = await openTask(leaf.id);
    await engine().terminateInstance(top.id, { reason: 'withdrawn' });
    expect(await Promise.all([top, middle, leaf].map((i) => statusOf(i.id)))).toEqual(['externally_terminated', 'terminated', 'terminated']);
    expect((await engine().getTask(task.id)).status).toBe('cancelled');
    await expect(engine().completeTask(task.id)).rejects.toMatchObject({ code: 'CONFLICT' });
  });

  it('a called instance terminated on its own leaves an incident at the call activity; a retry calls again', async () => {
    const { top, middle, leaf } = await startTree();
    await engine().terminateInstance(middle.id);
    expect(await Promise.all([top, middle, leaf].map((i) => statusOf(i.id)))).toEqual(['active', 'externally_terminated', 'terminated']);
    const [incident, ...others] = (await engine().listIncidents({ process_instance_id: top.id, status: 'open' })).data;
    expect(others).toEqual([]);
    expect(incident).toMatchObject({ incident_type: 'failedInstruction', activity_id: 'call' });
    expect(incident!.incident_message).toContain(middle.id);

    await engine().resolveIncident(incident!.id, { resolution_type: 'retry' });
    const called = await calledBy(top.id);
    expect(called.map((i) => i.status)).toEqual(['externally_terminated', 'active']);
    expect((await engine().getInstance(top.id)).activities.find((a) => a.activity_id === 'call')?.called_instance_id).toBe(called[1]!.id);
  });

  it('a caller and the instance it called driven at the same moment: every command succeeds and no change is lost', async () => {
    for (let round = 0; round < 3; round++) {
      const trees = await Promise.all(Array.from({ length: 8 }, (_, i) =>
        engine().startInstance({ process_definition_key: 'ca_branches', business_key: `round-${round}-${i}` })));
      const commands = await Promise.all(trees.map((tree) => drive(engine(), tree.id, tree.business_key!)));
      await Promise.all(commands.flat().map((command) => command()));
      for (const tree of trees) {
        const details = await engine().getInstance(tree.id);
        expect(details.status).toBe('completed');
        expect(Object.fromEntries(['shipped', 'approved', 'paid'].map((name) => [name, details.variables[name]?.value])))
          .toEqual({ shipped: true, approved: true, paid: true });
        expect((await calledBy(tree.id)).map((i) => i.status)).toEqual(['completed']);
      }
    }
  });

  it('terminating a caller while the instance it called completes: one of the two goes first, the other is refused, and the tree ends whole either way', async () => {
    for (let round = 0; round < 6; round++) {
      const { top, middle, leaf } = await startTree();
      const task = await openTask(leaf.id);
      const [terminated, completed] = await Promise.allSettled([engine().terminateInstance(top.id), engine().completeTask(task.id)]);
      expect([terminated.status, completed.status].sort()).toEqual(['fulfilled', 'rejected']);
      const refused = terminated.status === 'rejected' ? terminated.reason : (completed as PromiseRejectedResult).reason;
      expect(refused).toMatchObject({ code: 'CONFLICT' });
      const statuses = await Promise.all([top, middle, leaf].map((i) => statusOf(i.id)));
      expect(statuses).toEqual(terminated.status === 'fulfilled' ? ['externally_terminated', 'terminated', 'terminated'] : ['completed', 'completed', 'completed']);
    }
  });

  it('two signals, each reaching callers, called instances and other instances, delivered at once, both go through: instances are locked in the order of their roots, so the two never deadlock', async () => {
    for (let round = 0; round < 5; round++) {
      const instances = [];
      for (let i = 0; i < 6; i++) {
        instances.push(await engine().startInstance({ process_definition_key: 'ca_sig_caller' }));
        instances.push(await engine().startInstance({ process_definition_key: 'ca_sig_both' }));
      }
      const reached = await Promise.all(['a', 'b'].map((signal_name) => engine().broadcastSignal({ signal_name })));
      expect(reached.map((r) => r.length)).toEqual([12, 12]);
      expect(await Promise.all(instances.map((i) => statusOf(i.id)))).toEqual(instances.map(() => 'completed'));
    }
  });
});

/** the three commands that finish a ca_branches tree: its called instance's task, its own task, its message */
async function drive(engine: Engine, instanceId: string, businessKey: string): Promise<(() => Promise<unknown>)[]> {
  const [leaf] = (await engine.listInstances({ super_instance_id: instanceId })).data;
  const leafTask = only((await engine.listTasks({ process_instance_id: leaf!.id })).data);
  const approve = only((await engine.listTasks({ process_instance_id: instanceId })).data);
  return [
    () => engine.completeTask(leafTask.id, { variables: { shipped: { value: true } } }),
    () => engine.completeTask(approve.id, { variables: { approved: { value: true } } }),
    () => engine.correlateMessage({ message_name: 'paid', business_key: businessKey, variables: { paid: { value: true } } }),
  ];
}

function only<T>(items: readonly T[]): T {
  expect(items).toHaveLength(1);
  return items[0]!;
}
