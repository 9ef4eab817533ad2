// Camunda 7's activity instance tree of a running instance at /engine-rest, as Cockpit reads it: activity
// instances beneath the scopes they run in, a multi-instance body above its inner instances, tokens waiting on
// asynchronous continuations as transition instances, open incidents where they occurred.
import { testBackends } from '@dadms/process-engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, expectContractKept, startTestApp, UNKNOWN_ID, type TestApp } from './support.js';

const flow = (id: string, from: string, to: string) => `<bpmn:sequenceFlow id="${id}" sourceRef="${from}" targetRef="${to}" />`;

/** a split into: an async-before task, a script with an async continuation after it, a sub-process, two reviews at once, a worker's task */
const tree = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="http://test">
  <bpmn:process id="tree" name="Tree" isExecutable="true">
    <bpmn:startEvent id="start" />${flow('f0', 'start', 'split')}
    <bpmn:parallelGateway id="split" />
    ${flow('f1', 'split', 'later')}${flow('f2', 'split', 'script')}${flow('f3', 'split', 'sub')}${flow('f4', 'split', 'review')}${flow('f5', 'split', 'work')}
    <bpmn:userTask id="later" name="Later" camunda:asyncBefore="true" />${flow('f6', 'later', 'end1')}<bpmn:endEvent id="end1" />
    <bpmn:scriptTask id="script" scriptFormat="feel" camunda:asyncAfter="true"><bpmn:script>1</bpmn:script></bpmn:scriptTask>${flow('f7', 'script', 'end2')}<bpmn:endEvent id="end2" />
    <bpmn:subProcess id="sub" name="Sub">
      <bpmn:startEvent id="sub_start" />${flow('s1', 'sub_start', 'inner')}
      <bpmn:userTask id="inner" name="Inner" />${flow('s2', 'inner', 'sub_end')}
      <bpmn:endEvent id="sub_end" />
    </bpmn:subProcess>${flow('f8', 'sub', 'end3')}<bpmn:endEvent id="end3" />
    <bpmn:userTask id="review"><bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>2</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>
    ${flow('f9', 'review', 'end4')}<bpmn:endEvent id="end4" />
    <bpmn:serviceTask id="work" camunda:type="external" camunda:topic="tree-work" />${flow('f10', 'work', 'end5')}<bpmn:endEvent id="end5" />
  </bpmn:process>
</bpmn:definitions>`;

interface Node {
  id: string;
  parentActivityInstanceId: string | null;
  activityId: string;
  activityType: string;
  executionIds?: string[];
  executionId?: string;
  incidentIds: string[];
  childActivityInstances?: Node[];
  childTransitionInstances?: Node[];
}

describe.each(testBackends())('the activity instance tree at /engine-rest on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, 'engine-rest-activity-instances', { jobs: { run: false } });
    expect((await call(t.app, 'POST', '/definitions', { bpmn_xml: tree })).statusCode).toBe(201);
  });
  afterAll(() => t?.close());

  const rest = async (method: 'GET' | 'PUT' | 'POST', url: string, payload?: unknown) => {
    const res = await t.app.inject({ method, url: `/engine-rest${url}`, ...(payload === undefined ? {} : { payload: payload as object }) });
    return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : undefined };
  };
  const summary = (node: Node): unknown => ({
    activityId: node.activityId, activityType: node.activityType,
    ...(node.childActivityInstances?.length ? { children: node.childActivityInstances.map(summary) } : {}),
    ...(node.childTransitionInstances?.length ? { transitions: node.childTransitionInstances.map((n) => n.activityId) } : {}),
  });
  const sorted = (nodes: Node[] | undefined) => [...(nodes ?? [])].sort((a, b) => a.activityId.localeCompare(b.activityId));

  it('answers the running instance as Camunda 7 draws it, and follows what it does next', async () => {
    const started = await call(t.app, 'POST', '/instances', { process_definition_key: 'tree' });
    const id = started.json().id as string;
    const answer = await rest('GET', `/process-instance/${id}/activity-instances`);
    expect(answer.status).toBe(200);
    const root = answer.body as Node;
    expect(root).toMatchObject({
      id, parentActivityInstanceId: null, activityType: 'processDefinition', activityId: started.json().process_definition_id,
      processInstanceId: id, executionIds: [id], incidentIds: [],
    });
    const children = sorted(root.childActivityInstances);
    expect(children.map(summary)).toEqual([
      { activityId: 'review#multiInstanceBody', activityType: 'multiInstanceBody', children: [{ activityId: 'review', activityType: 'userTask' }, { activityId: 'review', activityType: 'userTask' }] },
      { activityId: 'sub', activityType: 'subProcess', children: [{ activityId: 'inner', activityType: 'userTask' }] },
      { activityId: 'work', activityType: 'serviceTask' },
    ]);
    for (const child of children) expect(child.parentActivityInstanceId).toBe(id);
    const [body] = children;
    for (const inner of body!.childActivityInstances!) expect(inner.parentActivityInstanceId).toBe(body!.id);
    // before `later` and after `script`, a token waits on its job: transition instances, each on its execution
    const transitions = sorted(root.childTransitionInstances);
    expect(transitions.map((n) => [n.activityId, n.activityType])).toEqual([['later', 'userTask'], ['script', 'scriptTask']]);
    const jobs = (await call(t.app, 'GET', `/jobs?process_instance_id=${id}&type=async`)).json().data as { id: string; activity_id: string; execution_id: string }[];
    for (const transition of transitions) {
      expect(transition.executionId).toBe(jobs.find((job) => job.activity_id === transition.activityId)!.execution_id);
    }
    expectContractKept(t);

    // the job before `later` runs: it becomes an activity instance; the worker's task fails for good: its incident shows
    const before = jobs.find((job) => job.activity_id === 'later')!;
    expect((await rest('POST', `/job/${before.id}/execute`)).status).toBe(204);
    const [task] = (await rest('GET', `/external-task?processInstanceId=${id}`)).body as { id: string }[];
    expect((await rest('PUT', `/external-task/${task!.id}/retries`, { retries: 0 })).status).toBe(204);
    const after = (await rest('GET', `/process-instance/${id}/activity-instances`)).body as Node;
    expect(sorted(after.childTransitionInstances).map((n) => n.activityId)).toEqual(['script']);
    expect(sorted(after.childActivityInstances).map((n) => n.activityId)).toEqual(['later', 'review#multiInstanceBody', 'sub', 'work']);
    const [incident] = (await call(t.app, 'GET', `/incidents?process_instance_id=${id}`)).json().data as { id: string }[];
    expect(after.childActivityInstances!.find((n) => n.activityId === 'work')).toMatchObject({ incidentIds: [incident!.id], incidents: [{ id: incident!.id, activityId: 'work' }] });
    expect(after.childActivityInstances!.find((n) => n.activityId === 'later')!.incidentIds).toEqual([]);
    expectContractKept(t);
  });

  it('answers 404 for an unknown or ended instance', async () => {
    expect(await rest('GET', `/process-instance/${UNKNOWN_ID}/activity-instances`)).toMatchObject({ status: 404, body: { type: 'InvalidRequestException' } });
    const id = (await call(t.app, 'POST', '/instances', { process_definition_key: 'tree' })).json().id as string;
    expect((await call(t.app, 'DELETE', `/instances/${id}`)).statusCode).toBe(204);
    expect((await rest('GET', `/process-instance/${id}/activity-instances`)).status).toBe(404);
  });
});
