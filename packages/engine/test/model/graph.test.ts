import { describe, expect, it } from 'vitest';
import { compileDefinitions } from '../../src/model/compile-model.js';
import { compileOne, definitions, flow, processXml } from './bpmn-documents.js';

// Start → A → Join ⇄ B (a loop back), A has an error boundary leading to C → End; a sub-process S
// hangs off B and holds its own little graph. The bpmn:incoming/outgoing children lie on purpose.
const loop = processXml(
  `
  <bpmn:startEvent id="Start"><bpmn:outgoing>f5</bpmn:outgoing></bpmn:startEvent>
  <bpmn:serviceTask id="A" camunda:type="external" camunda:topic="a"><bpmn:incoming>f3</bpmn:incoming></bpmn:serviceTask>
  <bpmn:boundaryEvent id="Boundary" attachedToRef="A"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>
  <bpmn:exclusiveGateway id="Join" />
  <bpmn:userTask id="B" />
  <bpmn:task id="C" />
  <bpmn:subProcess id="S">
    <bpmn:startEvent id="S_Start" />
    <bpmn:task id="S_Task" />
    <bpmn:endEvent id="S_End" />
    ${flow('s2', 'S_Task', 'S_End')}
    ${flow('s1', 'S_Start', 'S_Task')}
  </bpmn:subProcess>
  <bpmn:endEvent id="End" />
  ${flow('f_back', 'B', 'Join')}
  ${flow('f1', 'Start', 'A')}
  ${flow('f2', 'A', 'Join')}
  ${flow('f3', 'Join', 'B')}
  ${flow('f4', 'Boundary', 'C')}
  ${flow('f5', 'C', 'End')}
  ${flow('f6', 'B', 'S')}
  ${flow('f7', 'S', 'End')}
`,
);

describe('the compiled graph', () => {
  it('takes incoming and outgoing flows from sourceRef and targetRef, in document order of the flows', async () => {
    const model = await compileOne(loop);
    expect(model.elements.get('Start')?.outgoing).toEqual(['f1']);
    expect(model.elements.get('A')?.incoming).toEqual(['f1']);
    expect(model.elements.get('Join')?.incoming).toEqual(['f_back', 'f2']);
    expect(model.elements.get('B')?.outgoing).toEqual(['f_back', 'f6']);
    expect(model.elements.get('End')?.incoming).toEqual(['f5', 'f7']);
    expect(model.elements.get('A')?.boundaryEvents).toEqual(['Boundary']);
  });

  it('keeps elements in document order, sub-process contents right after the sub-process', async () => {
    const model = await compileOne(loop);
    expect([...model.elements.keys()]).toEqual(['Start', 'A', 'Boundary', 'Join', 'B', 'C', 'S', 'S_Start', 'S_Task', 'S_End', 'End']);
    expect(model.scopes.get('Process_1')?.children).toEqual(['Start', 'A', 'Boundary', 'Join', 'B', 'C', 'S', 'End']);
    expect(model.scopes.get('S')).toMatchObject({ children: ['S_Start', 'S_Task', 'S_End'], noneStartEvent: 'S_Start' });
  });

  it('knows what each node reaches within its scope, through boundary events too', async () => {
    const reachable = (await compileOne(loop)).scopes.get('Process_1')!.reachable;
    expect([...reachable.get('Start')!].sort()).toEqual(['A', 'B', 'Boundary', 'C', 'End', 'Join', 'S']);
    expect([...reachable.get('A')!].sort()).toEqual(['B', 'Boundary', 'C', 'End', 'Join', 'S']);
    expect([...reachable.get('Boundary')!].sort()).toEqual(['C', 'End']);
    expect(reachable.get('Join')!.has('Join')).toBe(true);
    expect(reachable.get('A')!.has('A')).toBe(false);
    expect([...reachable.get('End')!]).toEqual([]);
    expect(reachable.get('S_Task')).toBeUndefined();
    expect(reachable.size).toBe(8);
    expect([...reachable.keys()]).toEqual(['Start', 'A', 'Boundary', 'Join', 'B', 'C', 'S', 'End']);
    expect([...(await compileOne(loop)).scopes.get('S')!.reachable.get('S_Start')!]).toEqual(['S_Task', 'S_End']);
  });

  it('freezes the whole model', async () => {
    const { processes } = await compileDefinitions(loop);
    const model = processes[0]!;
    expect(Object.isFrozen(processes)).toBe(true);
    expect(Object.isFrozen(model.elements.get('A')!.outgoing)).toBe(true);
    expect(Object.isFrozen(model.elements.get('A')!.externalTask!.topic)).toBe(true);
    expect(() => (model.elements as Map<string, unknown>).set('X', {})).toThrow(TypeError);
    expect(() => (model.flows as Map<string, unknown>).delete('f1')).toThrow(TypeError);
    expect(() => (model.scopes.get('S')!.reachable.get('S_Start') as Set<string>).add('X')).toThrow(TypeError);
    expect(() => {
      (model.elements.get('A') as { name: string }).name = 'changed';
    }).toThrow(TypeError);
    expect(model.flows.size).toBe(10);
  });

  it('compiles every executable process in document order and names unnamed ones after their pool', async () => {
    const { processes } = await compileDefinitions(
      definitions(`
        <bpmn:collaboration id="C"><bpmn:participant id="P2" name="Second pool" processRef="Second" /></bpmn:collaboration>
        <bpmn:process id="First" name="First process"><bpmn:startEvent id="S1" /></bpmn:process>
        <bpmn:process id="Hidden" isExecutable="false"><bpmn:startEvent id="S0" /></bpmn:process>
        <bpmn:process id="Second" isExecutable="true"><bpmn:startEvent id="S2" /></bpmn:process>`),
    );
    expect(processes.map((p) => [p.id, p.name])).toEqual([['First', 'First process'], ['Second', 'Second pool']]);
  });

  it('takes ids that are names of object properties as ids', async () => {
    const model = await compileOne(processXml(`<bpmn:startEvent id="constructor" />${flow('toString', 'constructor', '__proto__')}<bpmn:endEvent id="__proto__" />`));
    expect(model.elements.get('__proto__')?.incoming).toEqual(['toString']);
    expect(model.noneStartEvent).toBe('constructor');
  });

  it('handles deeply nested sub-processes without recursion', async () => {
    const depth = 2000;
    let body = '<bpmn:startEvent id="Start_0" />';
    for (let level = depth; level >= 1; level--) body = `<bpmn:subProcess id="Sub_${level}"><bpmn:startEvent id="Start_${level}" />${body}</bpmn:subProcess>`;
    const { processes } = await compileDefinitions(processXml(`<bpmn:startEvent id="Top" />${body}`.replace('<bpmn:startEvent id="Start_0" />', '')));
    expect(processes[0]!.scopes.size).toBe(depth + 1);
  });
});
