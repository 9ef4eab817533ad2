// On the embedded store, which no other process writes, the engine keeps the runtime rows of the instances
// it wrote last: the next command on one of them reads nothing. What is kept must always be what the store
// holds: after a command that failed, after any other statement that changed an instance's rows, and beyond
// the number of instances kept.
import type { CompiledQuery } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createEngine, type Engine } from '../../src/index.js';
import { StateCache } from '../../src/persistence/state-cache.js';

const reviewed = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="d" targetNamespace="t">
  <bpmn:process id="reviewed" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:userTask id="review" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="decide" />
    <bpmn:exclusiveGateway id="decide" />
    <bpmn:sequenceFlow id="yes" sourceRef="decide" targetRef="publish">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=approved = true</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:sequenceFlow id="no" sourceRef="decide" targetRef="rejected">
      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">=approved = false</bpmn:conditionExpression>
    </bpmn:sequenceFlow>
    <bpmn:userTask id="publish" />
    <bpmn:endEvent id="rejected" />
  </bpmn:process>
</bpmn:definitions>`;

/** two tasks at once: one for a group, one in a sub-process with a variable of its own */
const split = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d2" targetNamespace="t">
  <bpmn:process id="split" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fork" />
    <bpmn:parallelGateway id="fork" />
    <bpmn:sequenceFlow id="f2" sourceRef="fork" targetRef="a" />
    <bpmn:sequenceFlow id="f3" sourceRef="fork" targetRef="sub" />
    <bpmn:userTask id="a" camunda:candidateGroups="clerks" />
    <bpmn:subProcess id="sub">
      <bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="inner">\${'local'}</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements>
      <bpmn:startEvent id="sub_start" />
      <bpmn:sequenceFlow id="s1" sourceRef="sub_start" targetRef="b" />
      <bpmn:userTask id="b" camunda:assignee="mary" />
    </bpmn:subProcess>
  </bpmn:process>
</bpmn:definitions>`;

/** the instance rows each command took from memory (undefined: read from the store) */
const takes = () => {
  const take = vi.spyOn(StateCache.prototype, 'take');
  return () => take.mock.results.map((r) => (r.value as { rows: { instance: { id: string } } } | undefined)?.rows.instance.id);
};

describe('the embedded store\'s instance rows kept in memory', () => {
  let engine: Engine | undefined;
  afterEach(async () => {
    vi.restoreAllMocks();
    await engine?.close();
    engine = undefined;
  });

  const started = async (options: { instanceCache?: number } = {}) => {
    engine = await createEngine(options);
    const { definitions: [definition] } = await engine.deploy({ bpmn_xml: reviewed, name: 'reviewed' });
    return { engine, definition: definition! };
  };
  const openTask = async (e: Engine, instanceId: string) => (await e.listTasks({ process_instance_id: instanceId })).data[0]!;

  it('serves the next command on an instance a command just wrote, which then runs as it would from the store', async () => {
    const { engine: e } = await started();
    const taken = takes();
    const instance = await e.startInstance({ process_definition_key: 'reviewed' });
    await e.updateVariables(instance.id, [{ variable_name: 'note', value: 'first pass' }]);
    await e.completeTask((await openTask(e, instance.id)).id, { variables: { approved: { value: true } } });
    expect(taken()).toEqual([instance.id, instance.id]);

    const details = await e.getInstance(instance.id);
    expect(details.current_activities.map((a) => a.activity_id)).toEqual(['publish']);
    expect(details.variables).toMatchObject({ note: { value: 'first pass' }, approved: { value: true } });
    await e.completeTask((await openTask(e, instance.id)).id);
    expect((await e.getInstance(instance.id)).status).toBe('completed');
  });

  it('answers a task list of one instance, and one open task, from the kept rows, as the store would answer them', async () => {
    const { engine: e } = await started();
    await e.deploy({ bpmn_xml: split, name: 'split' });
    const instance = await e.startInstance({ process_definition_key: 'split', variables: { order: { value: 7 } } });
    const peek = vi.spyOn(StateCache.prototype, 'peek');
    // as a server passes it, with the filters it was not given left undefined
    const kept = await e.listTasks({ process_instance_id: instance.id, assignee: undefined, candidate_group: undefined });
    const second = await e.listTasks({ process_instance_id: instance.id, limit: 1, offset: 1 });
    expect(peek.mock.results.map((r) => r.value !== undefined)).toEqual([true, true]);
    // the same lists read from the store: a filter the kept rows do not serve sends the query there
    const read = await e.listTasks({ process_instance_id: instance.id, process_definition_key: 'split' });
    expect(peek).toHaveBeenCalledTimes(2);
    expect(kept).toEqual(read);
    expect(kept.data.map((t) => t.task_definition_key)).toEqual(['a', 'b']);
    expect(kept.data[0]).toMatchObject({ candidate_groups: ['clerks'], variables: { order: { value: 7 } } });
    expect(kept.data[1]!.variables).toMatchObject({ order: { value: 7 }, inner: { value: 'local' } });
    expect(second).toEqual({ ...(await e.listTasks({ process_instance_id: instance.id, limit: 1, offset: 1, process_definition_key: 'split' })), total: 2 });
    expect(second.data.map((t) => t.id)).toEqual([kept.data[1]!.id]);
    // one open task, as a form reads it: from the kept rows too
    expect(await e.getTask(kept.data[1]!.id)).toEqual(kept.data[1]);
    expect(peek.mock.results.at(-1)!.value).toBeDefined();
    // once a task is completed, the kept rows have it no more, as the store lists it no more among the open ones
    await e.completeTask(kept.data[0]!.id);
    expect((await e.listTasks({ process_instance_id: instance.id })).data.map((t) => t.task_definition_key)).toEqual(['b']);
    expect((await e.listTasks({ process_instance_id: instance.id, status: 'completed' })).data.map((t) => t.task_definition_key)).toEqual(['a']);
    expect(await e.getTask(kept.data[0]!.id)).toMatchObject({ status: 'completed', task_definition_key: 'a' });
  });

  it('keeps nothing of a command that failed: the next one finds the instance as the store holds it', async () => {
    const { engine: e } = await started();
    const instance = await e.startInstance({ process_definition_key: 'reviewed' });
    const task = await openTask(e, instance.id);
    // the claim changes the task, then its write fails (an assignee longer than the column), and it is undone whole
    await expect(e.claimTask(task.id, 'u'.repeat(300))).rejects.toThrow();
    const taken = takes();
    await e.claimTask(task.id, 'mary');
    expect(taken()).toEqual([undefined]);
    expect((await e.getTask(task.id)).assignee).toBe('mary');
  });

  it('forgets what any other statement may have changed: a suspension of the definition\'s instances holds', async () => {
    const { engine: e, definition } = await started();
    const instance = await e.startInstance({ process_definition_key: 'reviewed' });
    await e.setDefinitionSuspended(definition.id, true, { include_instances: true });
    const task = await openTask(e, instance.id);
    expect((await e.getTask(task.id)).suspension_state).toBe('suspended');
    // kept as the start left it, the instance would be active and its task completed
    await expect(e.completeTask(task.id, { variables: { approved: { value: true } } })).rejects.toMatchObject({ code: 'CONFLICT' });
    expect((await e.getInstance(instance.id)).status).toBe('suspended');
  });

  it('keeps the instances written last, as many as it is given, and none with 0', async () => {
    const { engine: e } = await started({ instanceCache: 2 });
    const [first, second, third] = [
      await e.startInstance({ process_definition_key: 'reviewed' }),
      await e.startInstance({ process_definition_key: 'reviewed' }),
      await e.startInstance({ process_definition_key: 'reviewed' }),
    ];
    const taken = takes();
    // the first one started was the third too many; each command's instance is then the newest kept
    for (const instance of [third!, second!, first!, third!]) await e.updateVariables(instance.id, [{ variable_name: 'seen', value: true }]);
    expect(taken()).toEqual([third!.id, second!.id, undefined, undefined]);
    await e.close();

    const { engine: none } = await started({ instanceCache: 0 });
    const instance = await none.startInstance({ process_definition_key: 'reviewed' });
    await none.updateVariables(instance.id, [{ variable_name: 'seen', value: true }]);
    // no rows are kept, so none is looked for
    expect(taken()).toHaveLength(4);
    expect((await none.getVariables(instance.id)).seen).toMatchObject({ value: true });
  });

  it('refuses a size that is not a whole number of instances', async () => {
    for (const instanceCache of [-1, 1.5, Number.NaN]) {
      await expect(createEngine({ instanceCache })).rejects.toMatchObject({ code: 'VALIDATION_ERROR', message: 'instanceCache must be a whole number, 0 or more' });
    }
  });
});

describe('which statements empty the cache: any that may change the rows of a runtime table', () => {
  const statement = (sql: string, kind = 'RawNode') => ({ sql, parameters: [], query: { kind } }) as unknown as CompiledQuery;
  const clears = (sql: string) => {
    const cache = new StateCache(10);
    const clear = vi.spyOn(cache, 'clear');
    cache.saw(statement(sql));
    return clear.mock.calls.length > 0;
  };

  it.each([
    ['update "jobs" set "lock_owner" = $1 where "id" = $2', true],
    ['UPDATE external_tasks SET worker_id = $1', true],
    ['delete from "process_instances" where "id" in ($1)', true],
    ['with gone as (delete from executions where id = $1) select 1', true],
    ['insert into "tasks" ("id") values ($1)', true],
    ['truncate activity_instances', true],
    // reads, locks, maintenance, and changes to other tables
    ['select * from "tasks" where "process_instance_id" = $1', false],
    ['with "page" as (select * from "tasks") select json_agg(page) from page', false],
    ['select last_position from outbox_positions where id = 1 for update', false],
    ['select "updated_at" from "process_variables"', false],
    ['vacuum (analyze) public.tasks', false],
    ['update outbox o set position = $1 from pending p where o.seq = p.seq', false],
    ['insert into "idempotency_keys" ("key") values ($1)', false],
  ])('%s: %s', (sql, cleared) => {
    expect(clears(sql)).toBe(cleared);
  });

  it('not a command\'s own write', () => {
    const cache = new StateCache(10);
    const clear = vi.spyOn(cache, 'clear');
    const write = statement('with "update_0" as (update "tasks" set "status" = $1 where "id" = $2) insert into "outbox" ("id") values ($3)');
    cache.commandWrite(write);
    cache.saw(write);
    expect(clear).not.toHaveBeenCalled();
    cache.saw(statement(write.sql));
    expect(clear).toHaveBeenCalledOnce();
  });
});
