// No request, whatever its body, keeps the service from answering others: the largest deployment accepted
// is compiled off the event loop, and the health check keeps answering while it is under way. How long
// the longest wait between two answers was is printed, not asserted: a figure, not a behaviour.
import { testBackends } from '@dadms/process-engine/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, startTestApp, type TestApp } from './support.js';

/** a process of `tasks` user tasks in a row, each with a condition on its flow: about 240 bytes a task */
function longProcess(tasks: number): string {
  const steps = Array.from({ length: tasks }, (_, i) =>
    `<bpmn:userTask id="t${i}" name="Task number ${i}" camunda:assignee="\${owner}"/><bpmn:sequenceFlow id="f${i}" sourceRef="t${i}" targetRef="t${i + 1}"><bpmn:conditionExpression>\${amount > ${i}}</bpmn:conditionExpression></bpmn:sequenceFlow>`);
  return `<?xml version="1.0"?><bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="d" targetNamespace="x">` +
    `<bpmn:process id="long" isExecutable="true"><bpmn:startEvent id="s"/><bpmn:sequenceFlow id="fs" sourceRef="s" targetRef="t0"/>${steps.join('\n')}<bpmn:endEvent id="t${tasks}"/></bpmn:process></bpmn:definitions>`;
}

describe.each(testBackends())('responsiveness on %s', (backend) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(backend, 'responsive');
  });
  afterAll(() => t?.close());

  it('answers health checks while it compiles a deployment of 2 MB', async () => {
    const xml = longProcess(9_000);
    expect(xml.length).toBeGreaterThan(2_000_000);
    const deployed = call(t.app, 'POST', '/definitions', xml, { 'content-type': 'application/xml' });
    // each health check answered, from the request on; compiled on the event loop, none was until it ended
    const answered = [performance.now()];
    for (let done = false; !done;) {
      done = await Promise.race([deployed.then(() => true), new Promise<false>((resolve) => setTimeout(() => resolve(false), 50))]);
      expect((await t.app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
      answered.push(performance.now());
    }
    expect((await deployed).statusCode).toBe(201);
    const longestGap = Math.max(...answered.slice(1).map((at, i) => at - answered[i]!));
    console.log(`${backend}: ${answered.length - 1} health checks answered during a 2 MB deployment, at most ${Math.round(longestGap)} ms apart`);
    expect(answered.length).toBeGreaterThan(10);
  });
});
