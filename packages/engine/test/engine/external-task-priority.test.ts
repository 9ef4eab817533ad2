// camunda:taskPriority as Camunda 7 reads it: on the external task, a whole number or an expression giving
// one; otherwise the process's camunda:taskPriority; otherwise 0. Fetch-and-lock hands out the tasks of the
// highest priority first.
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';
import { camunda, flow } from '../support/job-engines.js';

const withProcessPriority = (xml: string, priority: string) => xml.replace('isExecutable="true"', `isExecutable="true" camunda:taskPriority="${priority}"`);

/** three tasks on one topic at once: one of the process's priority, one of its own, one of an expression */
const prioritised = withProcessPriority(camunda('prioritised', `
    <bpmn:startEvent id="start" />${flow('f0', 'start', 'fork')}
    <bpmn:parallelGateway id="fork" />${flow('f1', 'fork', 'plain')}${flow('f2', 'fork', 'fixed')}${flow('f3', 'fork', 'urgent')}
    <bpmn:serviceTask id="plain" camunda:type="external" camunda:topic="work" />${flow('f4', 'plain', 'end1')}
    <bpmn:serviceTask id="fixed" camunda:type="external" camunda:topic="work" camunda:taskPriority="20" />${flow('f5', 'fixed', 'end2')}
    <bpmn:serviceTask id="urgent" camunda:type="external" camunda:topic="work" camunda:taskPriority="\${urgency}" />${flow('f6', 'urgent', 'end3')}
    <bpmn:endEvent id="end1" /><bpmn:endEvent id="end2" /><bpmn:endEvent id="end3" />`), '7');

const unprioritised = camunda('unprioritised', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
    <bpmn:sendTask id="work" camunda:type="external" camunda:topic="other" />${flow('f2', 'work', 'end')}
    <bpmn:endEvent id="end" />`);

describe.each(testBackends())('external task priority on %s', (backend) => {
  const engine = engineUnderTest(backend, 'external-task-priority', [prioritised, unprioritised]);

  const start = async (key: string, urgency: unknown) =>
    (await engine().startInstance({ process_definition_key: key, variables: { urgency: { value: urgency } } })).id;
  const priorities = async (instanceId: string) =>
    Object.fromEntries((await engine().listExternalTasks({ process_instance_id: instanceId })).data.map((t) => [t.activity_id, t.priority]));

  it('comes from the task, an expression of it, or the process, and orders what a fetch hands out', async () => {
    const instanceId = await start('prioritised', 90);
    expect(await priorities(instanceId)).toEqual({ plain: 7, fixed: 20, urgent: 90 });
    const locked = await engine().fetchAndLock({
      worker_id: 'w', max_tasks: 3, topics: [{ topic_name: 'work', lock_duration: 60_000, process_instance_id: instanceId }],
    });
    expect(locked.map((t) => [t.activity_id, t.priority])).toEqual([['urgent', 90], ['fixed', 20], ['plain', 7]]);
  });

  it('is 0 when neither the task nor its process names one', async () => {
    expect(await priorities(await start('unprioritised', 1))).toEqual({ work: 0 });
  });

  it('that an expression gives as anything but a whole number holds a failedInstruction incident at the task', async () => {
    const instanceId = await start('prioritised', 'high');
    const { data: incidents } = await engine().listIncidents({ process_instance_id: instanceId });
    expect(incidents).toEqual([expect.objectContaining({ incident_type: 'failedInstruction', activity_id: 'urgent' })]);
    expect(incidents[0]!.incident_message).toContain('task priority');
    expect(await priorities(instanceId)).toEqual({ plain: 7, fixed: 20 });
  });

  it.each([
    ['on a task', camunda('bad_task_priority', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
    <bpmn:serviceTask id="work" camunda:type="external" camunda:topic="t" camunda:taskPriority="high" />`), 'work'],
    ['on a process', withProcessPriority(camunda('bad_process_priority', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
    <bpmn:serviceTask id="work" camunda:type="external" camunda:topic="t" />`), '1.5'), 'bad_process_priority'],
  ])('that is written as no whole number %s is refused at deploy, naming the element', async (_, bpmn_xml, elementId) => {
    await expect(engine().deploy({ bpmn_xml })).rejects.toMatchObject({
      code: 'INVALID_BPMN',
      details: { problems: [expect.objectContaining({ element_id: elementId, message: expect.stringContaining('camunda:taskPriority') })] },
    });
  });
});
