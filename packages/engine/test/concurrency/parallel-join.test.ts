// Many clients complete the branches of one instance at the same moment: every completion must be
// applied, the join must fire exactly once, and no external task may be handed to two workers.
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';

const BRANCHES = 10;

const forkJoin = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="t">
  <bpmn:process id="fork_join" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="fork" />
    <bpmn:parallelGateway id="fork" />
    ${Array.from({ length: BRANCHES }, (_, i) => `
    <bpmn:sequenceFlow id="a${i}" sourceRef="fork" targetRef="task${i}" />
    <bpmn:userTask id="task${i}" name="Branch ${i}" />
    <bpmn:sequenceFlow id="b${i}" sourceRef="task${i}" targetRef="join" />`).join('')}
    <bpmn:parallelGateway id="join" />
    <bpmn:sequenceFlow id="f1" sourceRef="join" targetRef="after" />
    <bpmn:userTask id="after" />
    <bpmn:sequenceFlow id="f2" sourceRef="after" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

const worked = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d2" targetNamespace="t">
  <bpmn:process id="worked" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="work" />
    <bpmn:serviceTask id="work" camunda:type="external" camunda:topic="crunch" />
    <bpmn:sequenceFlow id="f1" sourceRef="work" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

describe.each(testBackends())('concurrent commands on %s', (backend) => {
  const engine = engineUnderTest(backend, 'concurrency', [forkJoin, worked], { poolSize: 20 });

  it('fires a parallel join exactly once when all branches complete at the same moment', async () => {
    const instances = await Promise.all(Array.from({ length: 5 }, () => engine().startInstance({ process_definition_key: 'fork_join' })));
    for (const instance of instances) {
      const { data: tasks } = await engine().listTasks({ process_instance_id: instance.id, limit: 100 });
      expect(tasks).toHaveLength(BRANCHES);
      await Promise.all(tasks.map((t) => engine().completeTask(t.id, { variables: { [`done_${t.task_definition_key}`]: { value: true } } })));

      const { data: after } = await engine().listTasks({ process_instance_id: instance.id });
      expect(after.map((t) => t.task_definition_key)).toEqual(['after']);
      const details = await engine().getInstance(instance.id);
      const joins = details.execution_path.filter((p) => p.activity_id === 'join');
      expect(joins).toHaveLength(BRANCHES);
      expect(details.execution_path.filter((p) => p.activity_id === 'after')).toHaveLength(1);
      expect(Object.keys(details.variables).filter((n) => n.startsWith('done_'))).toHaveLength(BRANCHES);
      expect(details.status).toBe('active');
    }
  });

  it('hands each external task to one worker only when many fetch at once', async () => {
    const started = await Promise.all(Array.from({ length: 30 }, () => engine().startInstance({ process_definition_key: 'worked' })));
    const batches = await Promise.all(Array.from({ length: 8 }, (_, w) =>
      engine().fetchAndLock({ worker_id: `w${w}`, max_tasks: 10, topics: [{ topic_name: 'crunch', lock_duration: 60_000 }] })));
    const ids = batches.flat().map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toHaveLength(30);

    await Promise.all(batches.flatMap((batch) => batch.map((t) => engine().completeExternalTask(t.id, { worker_id: t.worker_id }))));
    const completed = await Promise.all(started.map((s) => engine().getInstance(s.id)));
    expect(completed.every((i) => i.status === 'completed')).toBe(true);
  });

  it('applies exactly one of two concurrent completions of the same task', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'worked' });
    const [task] = await engine().fetchAndLock({ worker_id: 'solo', max_tasks: 1, topics: [{ topic_name: 'crunch', lock_duration: 60_000, process_instance_id: instance.id }] });
    const outcomes = await Promise.allSettled([
      engine().completeExternalTask(task!.id, { worker_id: 'solo' }),
      engine().completeExternalTask(task!.id, { worker_id: 'solo' }),
    ]);
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
    const rejected = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason.code).toBe('NOT_FOUND');
    expect((await engine().getInstance(instance.id)).execution_path.filter((p) => p.activity_id === 'end')).toHaveLength(1);
  });
});

const twoMessages = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d3" targetNamespace="t">
  <bpmn:message id="ma" name="part-a" />
  <bpmn:message id="mb" name="part-b" />
  <bpmn:process id="two_messages" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f0" sourceRef="start" targetRef="fork" />
    <bpmn:parallelGateway id="fork" />
    <bpmn:sequenceFlow id="fa" sourceRef="fork" targetRef="wait_a" />
    <bpmn:intermediateCatchEvent id="wait_a"><bpmn:messageEventDefinition messageRef="ma" /></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="ga" sourceRef="wait_a" targetRef="join" />
    <bpmn:sequenceFlow id="fb" sourceRef="fork" targetRef="wait_b" />
    <bpmn:intermediateCatchEvent id="wait_b"><bpmn:messageEventDefinition messageRef="mb" /></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="gb" sourceRef="wait_b" targetRef="join" />
    <bpmn:parallelGateway id="join" />
    <bpmn:sequenceFlow id="f1" sourceRef="join" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

// One lane: commands that arrive together share a transaction (group commit), and a correlation names no
// instance beforehand, so both messages of one instance land in one batch.
describe.each(testBackends())('commands sharing a transaction on %s', (backend) => {
  const engine = engineUnderTest(backend, 'concurrency-shared', [twoMessages], { groupCommit: { lanes: 1, maxBatch: 32 } });

  it('applies both of two messages correlated to one instance at the same moment', async () => {
    const instances = await Promise.all(Array.from({ length: 6 }, () => engine().startInstance({ process_definition_key: 'two_messages' })));
    const correlated = await Promise.all(instances.flatMap((instance) => ['part-a', 'part-b'].map((message_name) =>
      engine().correlateMessage({ message_name, process_instance_id: instance.id }))));
    expect(correlated.flat()).toHaveLength(12);
    for (const instance of instances) {
      const details = await engine().getInstance(instance.id);
      expect(details.status).toBe('completed');
      expect(details.execution_path.filter((p) => p.activity_id === 'join')).toHaveLength(2);
      expect(details.execution_path.filter((p) => p.activity_id === 'end')).toHaveLength(1);
    }
  });
});
