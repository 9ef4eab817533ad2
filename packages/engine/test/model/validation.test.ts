import { describe, expect, it } from 'vitest';
import type { Problem } from '../../src/errors.js';
import { compileOne, definitions, flow, problemsOf, processXml } from './bpmn-documents.js';

const start = `<bpmn:startEvent id="Start" />${flow('f_start', 'Start', 'Task')}<bpmn:task id="Task" />`;

/** `body` after a start event leading to Task; the expected problems, exactly. */
type Case = [title: string, body: string, expected: readonly (readonly [string | null, RegExp])[], roots?: string];

function expectProblems(problems: Problem[], expected: Case[2]): void {
  expect(problems).toEqual(expected.map(([elementId, message]) => ({ element_id: elementId, message: expect.stringMatching(message) })));
}

describe('reading problems', () => {
  it.each<Case>([
    ['a duplicate id', `<bpmn:task id="Task" />`, [['Task', /id 'Task' is used by more than one element/]]],
    ['an illegal id', `<bpmn:task id="1st" />`, [['1st', /'1st' .* is not a valid id/]]],
    ['an unknown BPMN element', `<bpmn:fancyTask id="Fancy" />`, [[null, /<bpmn:fancyTask> .* is not BPMN 2\.0/]]],
    ['a flow to nothing', flow('f1', 'Task', 'Nowhere'), [['f1', /sequenceFlow 'f1' refers to 'Nowhere' \(targetRef\), which does not exist/]]],
    ['a boundary event attached to nothing', `<bpmn:boundaryEvent id="B" attachedToRef="Ghost"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>`,
      [['B', /boundaryEvent 'B' refers to 'Ghost' \(attachedToRef\)/]]],
    ['a default flow that does not exist', `<bpmn:exclusiveGateway id="G" default="nope" />${flow('f1', 'Task', 'G')}`,
      [['G', /exclusiveGateway 'G' refers to 'nope' \(default\)/]]],
    ['a messageRef to nothing', `<bpmn:receiveTask id="R" messageRef="Message_X" />`, [['R', /receiveTask 'R' refers to 'Message_X' \(messageRef\)/]]],
    ['an errorRef to nothing', `<bpmn:boundaryEvent id="B" attachedToRef="Task"><bpmn:errorEventDefinition id="Def" errorRef="Error_X" /></bpmn:boundaryEvent>`,
      [['Def', /errorEventDefinition 'Def' refers to 'Error_X' \(errorRef\)/]]],
    ['an errorRef to nothing, on a definition without id', `<bpmn:endEvent id="E"><bpmn:errorEventDefinition errorRef="Error_X" /></bpmn:endEvent>${flow('f1', 'Task', 'E')}`,
      [['E', /the errorEventDefinition of endEvent 'E' refers to 'Error_X'/]]],
    ['a 700 kB expression, refused before it is read', `<bpmn:userTask id="U"><bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="big">\${${Array.from({ length: 50_000 }, () => 'amount > 5').join(' &amp;&amp; ')}}</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements></bpmn:userTask>`,
      [['U', /'\$\{amount > 5 && amount > 5.{60,}…'\) cannot be used: it is 699999 characters long; an expression may have at most 2000$/]]],
    ['an id longer than its column', `<bpmn:task id="T${'x'.repeat(255)}" />`, [[`T${'x'.repeat(255)}`, /The id of 'Txxx.*…' has 256 characters; at most 255 can be stored/]]],
    ['a name longer than its column', `<bpmn:task id="Long" name="${'é'.repeat(256)}" /><bpmn:task id="Fits" name="${'😀'.repeat(255)}" />`,
      [['Long', /The name of 'Long' has 256 characters; at most 255/]]],
    ['a message name longer than its column', `<bpmn:receiveTask id="R" messageRef="M" />`, [['R', /The message name of 'R' has 300 characters/]],
      `<bpmn:message id="M" name="${'m'.repeat(300)}" />`],
    ['a variable name longer than its column', `<bpmn:userTask id="V"><bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="${'v'.repeat(256)}">1</camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements></bpmn:userTask>`,
      [['V', /The variable name of 'V' has 256 characters/]]],
    ['a topic longer than its column', `<bpmn:serviceTask id="S" camunda:type="external" camunda:topic="${'t'.repeat(256)}" />`, [['S', /The topic of 'S' has 256 characters/]]],
  ])('%s', async (_title, body, expected, roots = '') => {
    expectProblems(await problemsOf(processXml(start + body, roots)), expected);
  });

  it.each([['a raw NUL', 'a\u0000b'], ['a character reference to NUL', 'a&#0;b'], ['a hexadecimal one', 'a&#x000;b']])('refuses %s in the document', async (_title, name) => {
    expectProblems(await problemsOf(processXml(`<bpmn:startEvent id="Start" name="${name}" />`)), [[null, /contains a NUL character/]]);
  });

  it('ignores elements and attributes of other vocabularies', async () => {
    const model = await compileOne(processXml(`${start}<vendor:thing /><bpmn:task id="T2" vendor:colour="red" camunda:unknownAttribute="1">
      <bpmn:extensionElements><vendor:settings a="1"><vendor:nested /></vendor:settings><camunda:futureElement /></bpmn:extensionElements>
    </bpmn:task>`).replace('<bpmn:definitions ', '<bpmn:definitions xmlns:vendor="urn:vendor" '));
    expect(model.elements.get('T2')?.kind).toBe('task');
  });

  it('resolves references written with the prefix of the document\'s own namespace, skips those into other documents', async () => {
    const xml = definitions(`
      <bpmn:message id="Message_1" name="m" />
      <bpmn:itemDefinition id="Item" structureRef="xs:string" />
      <bpmn:process id="P" xmlns:tns="http://bpmn.io/schema/bpmn" xmlns:java="http://jcp.org/java">
        <bpmn:startEvent id="S" />${flow('f', 'S', 'R')}
        <bpmn:receiveTask id="R" messageRef="tns:Message_1">
          <bpmn:extensionElements />
        </bpmn:receiveTask>
        ${flow('f2', 'R', 'E', '<bpmn:conditionExpression evaluatesToTypeRef="java:java.lang.Boolean">${true}</bpmn:conditionExpression>')}
        <bpmn:endEvent id="E" />
      </bpmn:process>`).replace('targetNamespace="http://bpmn.io/schema/bpmn"', 'targetNamespace="http://bpmn.io/schema/bpmn" xmlns:tns="http://bpmn.io/schema/bpmn" xmlns:java="http://jcp.org/java"');
    const model = await compileOne(xml);
    expect(model.elements.get('R')!.eventDefinition).toEqual({ kind: 'message', messageName: { source: 'm', literal: 'm' } });
  });
});

describe('compiling problems', () => {
  it.each<Case>([
    ['a JUEL method call', `<bpmn:userTask id="U" camunda:assignee="\${users.pick()}" />`, [['U', /assignee of userTask 'U' \('\$\{users\.pick\(\)\}'\) cannot be used: the method call users\.pick/]]],
    ['a FEEL syntax error', `<bpmn:exclusiveGateway id="G" />${flow('f1', 'Task', 'G')}${flow('f2', 'G', 'Task', '<bpmn:conditionExpression>=amount &gt;</bpmn:conditionExpression>')}`,
      [['f2', /condition of sequenceFlow 'f2' \('=amount >'\) cannot be used: it is not valid FEEL/]]],
    ['a condition in groovy', flow('f1', 'Task', 'Start', '<bpmn:conditionExpression language="groovy">x == 1</bpmn:conditionExpression>').replace("'Start'", 'Start'),
      [['f1', /condition of sequenceFlow 'f1' is written in 'groovy'; only FEEL and JUEL/], ['f1', /leads into startEvent 'Start'/]]],
    ['a condition loaded from a resource', `${flow('f1', 'Task', 'E', '<bpmn:conditionExpression language="juel" camunda:resource="cond.juel" />')}<bpmn:endEvent id="E" />`,
      [['f1', /loaded from camunda:resource="cond\.juel"/]]],
    ['an empty condition', `${flow('f1', 'Task', 'E', '<bpmn:conditionExpression xsi:type="bpmn:tFormalExpression"></bpmn:conditionExpression>')}<bpmn:endEvent id="E" />`,
      [['f1', /condition of sequenceFlow 'f1' is empty/]]],
    ['a flow without target', `<bpmn:sequenceFlow id="f1" sourceRef="Task" />`, [['f1', /sequenceFlow 'f1' has no targetRef/]]],
    ['a boundary event without attachment', `<bpmn:boundaryEvent id="B"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>`, [['B', /boundaryEvent 'B' is not attached to an activity/]]],
    ['a receive task without message', `<bpmn:receiveTask id="R" />`, [['R', /receiveTask 'R' waits for a message but names none/]]],
    ['a message catch event without message', `<bpmn:intermediateCatchEvent id="C"><bpmn:messageEventDefinition /></bpmn:intermediateCatchEvent>`,
      [['C', /intermediateCatchEvent 'C' waits for a message but names none/]]],
    ['a message without name', `<bpmn:receiveTask id="R" messageRef="M" />`, [['R', /message 'M' used by receiveTask 'R' has no name/]], '<bpmn:message id="M" />'],
    ['a messageRef to an error', `<bpmn:receiveTask id="R" messageRef="Err" />`, [['R', /messageRef of receiveTask 'R' points to error 'Err', which is not a Message/]], '<bpmn:error id="Err" />'],
    ['an errorRef to a message', `<bpmn:endEvent id="E"><bpmn:errorEventDefinition errorRef="M" /></bpmn:endEvent>`,
      [['E', /errorRef of endEvent 'E' points to message 'M', which is not a Error/]], '<bpmn:message id="M" name="m" />'],
    ['a mapping in groovy', `<bpmn:userTask id="U"><bpmn:extensionElements><camunda:inputOutput><camunda:inputParameter name="x"><camunda:script scriptFormat="groovy">1 + 1</camunda:script></camunda:inputParameter></camunda:inputOutput></bpmn:extensionElements></bpmn:userTask>`,
      [['U', /input parameter 'x' of userTask 'U' is a script in 'groovy'; only FEEL scripts are run/]]],
    ['a parameter without name', `<bpmn:userTask id="U"><bpmn:extensionElements><camunda:inputOutput><camunda:outputParameter>1</camunda:outputParameter></camunda:inputOutput></bpmn:extensionElements></bpmn:userTask>`,
      [['U', /An output parameter of userTask 'U' has no name/]]],
    ['an io mapping without target', `<bpmn:userTask id="U"><bpmn:extensionElements><zeebe:ioMapping><zeebe:input source="=a" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:userTask>`,
      [['U', /An input mapping of userTask 'U' needs both a source and a target/]]],
    ['a retry cycle that is not one', `<bpmn:serviceTask id="S" camunda:type="external" camunda:topic="t"><bpmn:extensionElements><camunda:failedJobRetryTimeCycle>often</camunda:failedJobRetryTimeCycle></bpmn:extensionElements></bpmn:serviceTask>`,
      [['S', /failedJobRetryTimeCycle of serviceTask 'S' \('often'\) is not a retry cycle/]]],
    ['zeebe retries that are not a number', `<bpmn:serviceTask id="S"><bpmn:extensionElements><zeebe:taskDefinition type="t" retries="=3" /></bpmn:extensionElements></bpmn:serviceTask>`,
      [['S', /retries of serviceTask 'S' \('=3'\) must be a whole number/]]],
    ['a script without script', `<bpmn:scriptTask id="S" scriptFormat="feel" />`, [['S', /scriptTask 'S' has no script/]]],
    ['a Java class that names no class', `<bpmn:serviceTask id="S" camunda:class="org.example." />`,
      [['S', /No topic can be named after camunda:class="org\.example\." of serviceTask 'S'; give it camunda:type="external" and a camunda:topic/]]],
    ['an expression that names no bean', `<bpmn:sendTask id="S" camunda:expression="\${(x)}" />`, [['S', /No topic can be named after camunda:expression="\$\{\(x\)\}" of sendTask 'S'/]]],
    ['a zeebe:script without expression', `<bpmn:scriptTask id="S"><bpmn:extensionElements><zeebe:script resultVariable="r" /></bpmn:extensionElements></bpmn:scriptTask>`,
      [['S', /zeebe:script of scriptTask 'S' has no expression/], ['S', /a scriptTask without scriptFormat is not supported/]]],
    ['a script loaded from a resource', `<bpmn:scriptTask id="S" scriptFormat="feel" camunda:resource="a.feel" />`, [['S', /loads its script from camunda:resource="a\.feel"/]]],
    ['a flow node without id', `<bpmn:task name="anonymous" />`, [['Process_1', /A task in process 'Process_1' has no id/]]],
  ])('%s', async (_title, body, expected, roots = '') => {
    expectProblems(await problemsOf(processXml(start + body, roots)), expected);
  });

  it('refuses a file without executable process', async () => {
    expectProblems(await problemsOf(definitions('<bpmn:process id="P" isExecutable="false"><bpmn:startEvent id="S" /></bpmn:process>')), [
      [null, /no executable process: every process is marked isExecutable="false"/],
    ]);
    expectProblems(await problemsOf(definitions('<bpmn:message id="M" name="m" />')), [[null, /contains no process/]]);
  });

  it('reports every problem of the file at once', async () => {
    const problems = await problemsOf(processXml(`${flow('f1', 'A', 'B')}<bpmn:task id="A" /><bpmn:complexGateway id="B" /><bpmn:userTask id="U" camunda:assignee="\${x.y()}" />`));
    expect(problems.map((p) => p.element_id)).toEqual(['U', 'B', 'Process_1']);
  });
});

const unsupported: readonly (readonly [string, string, RegExp])[] = [
  ['a compensation event sub-process', '<bpmn:subProcess id="Ev" triggeredByEvent="true"><bpmn:startEvent id="X"><bpmn:compensateEventDefinition /></bpmn:startEvent></bpmn:subProcess>', /a compensate startEvent is not supported/],
  ['an event with two definitions', '<bpmn:endEvent id="X"><bpmn:terminateEventDefinition /><bpmn:terminateEventDefinition /></bpmn:endEvent>', /an endEvent with several event definitions/],
  ['a message end event without worker', '<bpmn:endEvent id="X"><bpmn:messageEventDefinition messageRef="Msg" /></bpmn:endEvent>', /a message endEvent without implementation is not supported.*external tasks/],
  ['a complex gateway', '<bpmn:complexGateway id="X" />', /a complexGateway is not supported/],
  ['an ad-hoc sub-process', '<bpmn:adHocSubProcess id="X"><bpmn:task id="AT" /></bpmn:adHocSubProcess>', /an adHocSubProcess is not supported/],
  ['field injection into a Java delegate', '<bpmn:serviceTask id="X" camunda:class="org.example.Charge"><bpmn:extensionElements><camunda:field name="currency" stringValue="EUR" /><camunda:field name="limit"><camunda:expression>${max}</camunda:expression></camunda:field></bpmn:extensionElements></bpmn:serviceTask>',
    /field injection \(camunda:field 'currency', 'limit'\) into camunda:class="org\.example\.Charge" is not supported by this engine; the delegate runs as an external task, whose worker sees variables, not fields: pass the values as camunda:inputParameter/],
  ['field injection into the delegate of a message throw event', '<bpmn:endEvent id="X"><bpmn:messageEventDefinition messageRef="Msg" camunda:delegateExpression="${mailer}"><bpmn:extensionElements><camunda:field name="to" stringValue="ops" /></bpmn:extensionElements></bpmn:messageEventDefinition></bpmn:endEvent>',
    /field injection \(camunda:field 'to'\) into camunda:delegateExpression="\$\{mailer\}" is not supported/],
  ['another connector', '<bpmn:serviceTask id="X"><bpmn:extensionElements><camunda:connector><camunda:connectorId>mail-send</camunda:connectorId></camunda:connector></bpmn:extensionElements></bpmn:serviceTask>', /camunda:connector 'mail-send' is not supported/],
  ['a DMN decision on a service task', '<bpmn:serviceTask id="X" camunda:decisionRef="approve" />', /camunda:decisionRef="approve" on serviceTask 'X' is not supported by this engine; only a businessRuleTask evaluates a decision/],
  ['a Zeebe DMN decision on a script task', '<bpmn:scriptTask id="X"><bpmn:extensionElements><zeebe:calledDecision decisionId="approve" resultVariable="r" /></bpmn:extensionElements></bpmn:scriptTask>', /zeebe:calledDecision decisionId="approve" on scriptTask 'X' is not supported/],
  ['another camunda:type', '<bpmn:serviceTask id="X" camunda:type="mail" />', /camunda:type="mail" is not supported/],
  ['an external task without topic', '<bpmn:serviceTask id="X" camunda:type="external" />', /camunda:type="external" without a camunda:topic is not supported/],
  ['a zeebe:taskDefinition without type', '<bpmn:serviceTask id="X"><bpmn:extensionElements><zeebe:taskDefinition /></bpmn:extensionElements></bpmn:serviceTask>', /a zeebe:taskDefinition without a type is not supported/],
  ['a service task without implementation', '<bpmn:serviceTask id="X" />', /a serviceTask without implementation is not supported/],
  ['a groovy script', '<bpmn:scriptTask id="X" scriptFormat="groovy"><bpmn:script>println "hi"</bpmn:script></bpmn:scriptTask>', /a script in 'groovy' is not supported by this engine; script tasks run FEEL only/],
  ['a script task worked by a Zeebe job worker', '<bpmn:scriptTask id="X"><bpmn:extensionElements><zeebe:taskDefinition type="script" /></bpmn:extensionElements></bpmn:scriptTask>', /a scriptTask worked as an external task is not supported/],
  ['an execution listener', '<bpmn:task id="X"><bpmn:extensionElements><camunda:executionListener class="org.Log" event="start" /></bpmn:extensionElements></bpmn:task>', /a camunda:executionListener on 'start' \(class="org\.Log"\) is not supported/],
  ['a task listener', '<bpmn:userTask id="X"><bpmn:extensionElements><camunda:taskListener delegateExpression="${notify}" event="create" /></bpmn:extensionElements></bpmn:userTask>', /a camunda:taskListener on 'create' \(delegateExpression="\$\{notify\}"\) is not supported/],
  ['a Zeebe listener', '<bpmn:task id="X"><bpmn:extensionElements><zeebe:executionListeners><zeebe:executionListener eventType="end" type="audit" /></zeebe:executionListeners></bpmn:extensionElements></bpmn:task>', /a zeebe:executionListener on 'end' \(type="audit"\) is not supported/],
];

describe('constructs the interpreter does not run', () => {
  const roots = '<bpmn:message id="Msg" name="m" /><bpmn:signal id="Sig" name="s" />';
  it.each(unsupported)('refuses %s, naming the element', async (_title, element, message) => {
    const problems = await problemsOf(processXml(start + element, roots));
    expect(problems).toContainEqual({ element_id: 'X', message: expect.stringMatching(message) });
    expect(problems.every((problem) => problem.element_id === 'X')).toBe(true);
  });
});

const callsAndLoops: readonly (readonly [string, string, RegExp])[] = [
  ['a call activity that names no process', '<bpmn:callActivity id="X" />', /callActivity 'X' does not name the process it calls/],
  ['an unknown binding', '<bpmn:callActivity id="X" calledElement="child" camunda:calledElementBinding="newest" />',
    /The camunda:calledElementBinding 'newest' of callActivity 'X' is not supported \(use latest, deployment, version, versionTag\)/],
  ['a version binding without version', '<bpmn:callActivity id="X" calledElement="child" camunda:calledElementBinding="version" />', /binds by version but has no camunda:calledElementVersion/],
  ['a version tag binding without tag', '<bpmn:callActivity id="X" calledElement="child" camunda:calledElementBinding="versionTag" />', /binds by versionTag but has no camunda:calledElementVersionTag/],
  ['a version that is no number', '<bpmn:callActivity id="X" calledElement="child" camunda:calledElementBinding="version" camunda:calledElementVersion="two" />', /calledElementVersion of callActivity 'X' \('two'\) is not a whole number/],
  ['a camunda:out with an expression and no target', '<bpmn:callActivity id="X" calledElement="child"><bpmn:extensionElements><camunda:out sourceExpression="${a}" /></bpmn:extensionElements></bpmn:callActivity>',
    /A camunda:out of callActivity 'X' has a sourceExpression but no target/],
  ['a camunda:in that passes nothing', '<bpmn:callActivity id="X" calledElement="child"><bpmn:extensionElements><camunda:in target="a" /></bpmn:extensionElements></bpmn:callActivity>',
    /A camunda:in of callActivity 'X' names neither source, sourceExpression, variables nor businessKey/],
  ['a camunda:in expression that does not parse', '<bpmn:callActivity id="X" calledElement="child"><bpmn:extensionElements><camunda:in sourceExpression="${a +}" target="b" /></bpmn:extensionElements></bpmn:callActivity>',
    /camunda:in sourceExpression of callActivity 'X'/],
  ['a multi-instance cardinality over the limit', '<bpmn:userTask id="X"><bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>10001</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics></bpmn:userTask>',
    /The loop cardinality of userTask 'X' is 10001; a multi-instance activity runs 10000 instances at most/],
  ['a multi-instance loop over nothing', '<bpmn:userTask id="X"><bpmn:multiInstanceLoopCharacteristics /></bpmn:userTask>', /has neither a loopCardinality nor a collection/],
  ['a standard loop that never ends', '<bpmn:task id="X"><bpmn:standardLoopCharacteristics /></bpmn:task>', /The standard loop of task 'X' has neither a loopCondition nor a loopMaximum: it would never end/],
  ['a standard loop with a condition that does not parse', '<bpmn:task id="X"><bpmn:standardLoopCharacteristics><bpmn:loopCondition>${a ==}</bpmn:loopCondition></bpmn:standardLoopCharacteristics></bpmn:task>',
    /loop condition of task 'X'/],
];

describe('call activities and loops that cannot run', () => {
  it.each(callsAndLoops)('refuses %s, naming the element', async (_title, element, message) => {
    const problems = await problemsOf(processXml(start + element));
    expect(problems).toContainEqual({ element_id: 'X', message: expect.stringMatching(message) });
    expect(problems.every((problem) => problem.element_id === 'X')).toBe(true);
  });
});

describe('graph problems', () => {
  it.each<Case>([
    ['a flow to something that is not a flow node', `${flow('f1', 'Task', 'f_start')}`, [['f1', /sequenceFlow 'f1' ends at 'f_start', which is not a flow node of process 'Process_1'/]]],
    ['a flow to a data object', `<bpmn:dataObject id="Data" />${flow('f1', 'Task', 'Data')}`, [['f1', /ends at 'Data', which is not a flow node/]]],
    ['a flow crossing into a sub-process', `<bpmn:subProcess id="Sub"><bpmn:startEvent id="SS" /><bpmn:task id="Inner" /></bpmn:subProcess>${flow('f1', 'Task', 'Inner')}`,
      [['f1', /sequenceFlow 'f1' ends at task 'Inner', which lies in another \(sub-\)process/]]],
    ['a flow into a start event', flow('f1', 'Task', 'Start'), [['f1', /leads into startEvent 'Start', which cannot have incoming sequence flows/]]],
    ['a flow out of an end event', `<bpmn:endEvent id="E" />${flow('f1', 'E', 'Task')}`, [['f1', /leaves endEvent 'E'; an end event cannot have outgoing/]]],
    ['a default flow that is not outgoing', `<bpmn:exclusiveGateway id="G" default="f_start" />${flow('f1', 'Task', 'G')}`,
      [['G', /exclusiveGateway 'G' names 'f_start' as its default flow, which is not one of its outgoing sequence flows/]]],
    ['a boundary event on a gateway', `<bpmn:exclusiveGateway id="G" /><bpmn:boundaryEvent id="B" attachedToRef="G"><bpmn:errorEventDefinition /></bpmn:boundaryEvent>`,
      [['B', /boundaryEvent 'B' is attached to 'G', which is not an activity/]]],
    ['a boundary event in another scope', `<bpmn:subProcess id="Sub"><bpmn:startEvent id="SS" /><bpmn:boundaryEvent id="B" attachedToRef="Task"><bpmn:errorEventDefinition /></bpmn:boundaryEvent></bpmn:subProcess>`,
      [['B', /boundaryEvent 'B' is attached to task 'Task' but lies in another \(sub-\)process/]]],
    ['a sub-process without start event', `<bpmn:subProcess id="Sub"><bpmn:task id="Inner" /></bpmn:subProcess>`, [['Sub', /subProcess 'Sub' has no none start event/]]],
    ['a sub-process started by a message', `<bpmn:subProcess id="Sub"><bpmn:startEvent id="SS" /><bpmn:startEvent id="SM"><bpmn:messageEventDefinition messageRef="Msg" /></bpmn:startEvent></bpmn:subProcess>`,
      [['SM', /startEvent 'SM' has a message event definition; start events of an embedded sub-process have none/]], '<bpmn:message id="Msg" name="m" />'],
    ['two none start events', `<bpmn:startEvent id="Start2" />`, [['Start2', /startEvent 'Start2' is a second none start event in process 'Process_1'/]]],
  ])('%s', async (_title, body, expected, roots = '') => {
    expectProblems(await problemsOf(processXml(start + body, roots)), expected);
  });

  it('refuses a process without start event', async () => {
    expectProblems(await problemsOf(processXml('<bpmn:task id="Task" />')), [['Process_1', /process 'Process_1' has no start event/]]);
  });

  it('checks the start of an event sub-process', async () => {
    const problems = await problemsOf(processXml(`${start}<bpmn:subProcess id="Ev" triggeredByEvent="true"><bpmn:startEvent id="ES" /></bpmn:subProcess>`));
    expectProblems(problems, [
      ['Ev', /The event sub-process subProcess 'Ev' needs exactly one start event, with an event definition/],
    ]);
  });

  it('pairs each link throw event with one link catch event of its name in its scope', async () => {
    const linkThrow = (id: string, name: string) => `<bpmn:intermediateThrowEvent id="${id}"><bpmn:linkEventDefinition name="${name}" /></bpmn:intermediateThrowEvent>`;
    const linkCatch = (id: string, name: string) => `<bpmn:intermediateCatchEvent id="${id}"><bpmn:linkEventDefinition name="${name}" /></bpmn:intermediateCatchEvent>`;
    expectProblems(await problemsOf(processXml(start + linkThrow('T', 'A'))), [['T', /throws link 'A', which no link catch event of its scope catches/]]);
    expectProblems(await problemsOf(processXml(start + linkThrow('T', 'A') + linkCatch('C1', 'A') + linkCatch('C2', 'A'))),
      [['T', /throws link 'A', which several link catch events of its scope catch/]]);
    expectProblems(await problemsOf(processXml(`${start}${linkThrow('T', 'A')}${linkCatch('C', 'A')}<bpmn:task id="Before" />${flow('f9', 'Before', 'C')}`)),
      [['C', /is a link catch event: it is reached from its link throw events, not by sequence flows/]]);
    expectProblems(await problemsOf(processXml(`${start}${linkThrow('T', 'A')}${linkCatch('C', 'A')}<bpmn:task id="After" />${flow('f9', 'T', 'After')}`)),
      [['T', /is a link throw event: it goes on at its link catch event, not by sequence flows/]]);
  });

  it('starts a process or an event sub-process on a condition, and reads camunda:variableEvents as its three kinds', async () => {
    const conditional = (attributes = '') =>
      `<bpmn:conditionalEventDefinition${attributes}><bpmn:condition xsi:type="bpmn:tFormalExpression">\${ready}</bpmn:condition></bpmn:conditionalEventDefinition>`;
    const startsOnCondition = await compileOne(processXml(`${start}<bpmn:startEvent id="CS">${conditional()}</bpmn:startEvent>`));
    expect(startsOnCondition.conditionalStartEvents).toEqual(['CS']);
    expect(startsOnCondition.noneStartEvent).toBe('Start');
    expectProblems(await problemsOf(processXml(`${start}<bpmn:intermediateCatchEvent id="C">${conditional(' camunda:variableEvents="create, change"')}</bpmn:intermediateCatchEvent>`)),
      [['C', /has camunda:variableEvents 'change'; the kinds are create, update, delete/]]);
    const eventSubProcess = await compileOne(processXml(`${start}<bpmn:subProcess id="Ev" triggeredByEvent="true"><bpmn:startEvent id="CS">${conditional(' camunda:variableName="ready, done" camunda:variableEvents="update"')}</bpmn:startEvent></bpmn:subProcess>`));
    expect(eventSubProcess.elements.get('CS')!.eventDefinition).toMatchObject({ kind: 'conditional', variableNames: ['ready', 'done'], variableEvents: ['update'] });
  });

  it('pairs a compensation boundary event with one handler, reached by no flow, and a throw with an activity of the scope it compensates', async () => {
    const compensate = (ref = '') => `<bpmn:compensateEventDefinition${ref ? ` activityRef="${ref}"` : ''} />`;
    const boundary = (id: string, on: string) => `<bpmn:boundaryEvent id="${id}" attachedToRef="${on}">${compensate()}</bpmn:boundaryEvent>`;
    const association = (id: string, from: string, to: string) => `<bpmn:association id="${id}" sourceRef="${from}" targetRef="${to}" />`;
    const work = `${start}<bpmn:userTask id="Work" />${flow('f9', 'Start', 'Work')}`;
    const handler = '<bpmn:task id="Undo" isForCompensation="true" />';
    expectProblems(await problemsOf(processXml(work + boundary('B', 'Work') + handler)),
      [['B', /boundaryEvent 'B' is associated with no compensation handler \(an activity with isForCompensation="true"\)/]]);
    expectProblems(await problemsOf(processXml(work + boundary('B', 'Work') + '<bpmn:task id="Undo" />' + association('a1', 'B', 'Undo'))),
      [['B', /is associated with task 'Undo', which is not a compensation handler/]]);
    expectProblems(await problemsOf(processXml(work + boundary('B', 'Work') + handler + association('a1', 'B', 'Undo') + flow('f8', 'Work', 'Undo'))),
      [['Undo', /is a compensation handler \(isForCompensation\): compensation runs it, so no sequence flow may lead to it or leave it/]]);
    expectProblems(await problemsOf(processXml(work + boundary('B', 'Work') + boundary('B2', 'Work') + handler + association('a1', 'B', 'Undo'))),
      [['B2', /boundaryEvent 'B2' is a second compensation boundary event of userTask 'Work'; an activity has at most one/]]);
    expectProblems(await problemsOf(processXml(`${work}<bpmn:subProcess id="Sub"><bpmn:startEvent id="SS" /><bpmn:endEvent id="Undone">${compensate('Work')}</bpmn:endEvent>${flow('f7', 'SS', 'Undone')}</bpmn:subProcess>`)),
      [['Undone', /compensates 'Work', which is not an activity of the \(sub-\)process it compensates/]]);
    const paired = await compileOne(processXml(`${work}${boundary('B', 'Work')}${handler}${association('a1', 'Undo', 'B')}
      <bpmn:subProcess id="Ev" triggeredByEvent="true"><bpmn:startEvent id="ES"><bpmn:signalEventDefinition signalRef="Sig" /></bpmn:startEvent>
      <bpmn:endEvent id="Undone">${compensate('Work')}</bpmn:endEvent>${flow('f7', 'ES', 'Undone')}</bpmn:subProcess>`, '<bpmn:signal id="Sig" name="undo" />'));
    expect(paired.elements.get('Work')!.compensationHandler).toBe('Undo');
  });

  it('keeps a cancel end event directly in a transaction, which has one cancel boundary event to leave by', async () => {
    const cancelEnd = '<bpmn:endEvent id="C"><bpmn:cancelEventDefinition /></bpmn:endEvent>';
    const cancelBoundary = (id: string, on: string) => `<bpmn:boundaryEvent id="${id}" attachedToRef="${on}"><bpmn:cancelEventDefinition /></bpmn:boundaryEvent>`;
    const transaction = (id: string, body: string) => `<bpmn:transaction id="${id}"><bpmn:startEvent id="${id}_start" />${flow(`${id}_f`, `${id}_start`, 'C')}${body}</bpmn:transaction>`;
    expectProblems(await problemsOf(processXml(`${start}${cancelEnd}${flow('f9', 'Start', 'C')}`)), [['C', /is a cancel end event; it belongs directly in a transaction/]]);
    expectProblems(await problemsOf(processXml(start + transaction('T', cancelEnd))), [['C', /cancels transaction 'T', which has no cancel boundary event to leave by/]]);
    expectProblems(await problemsOf(processXml(`${start}<bpmn:userTask id="Work" />${cancelBoundary('B', 'Work')}`)), [['B', /is a cancel boundary event; only a transaction has one/]]);
    expectProblems(await problemsOf(processXml(start + transaction('T', cancelEnd) + cancelBoundary('B1', 'T') + cancelBoundary('B2', 'T'))),
      [['B2', /is a second cancel boundary event of transaction 'T'; a transaction has at most one/]]);
    expect((await compileOne(processXml(start + transaction('T', cancelEnd) + cancelBoundary('B1', 'T')))).elements.get('T')!.kind).toBe('transaction');
  });

  it('starts on an error or an escalation only an event sub-process, on an error always interrupting', async () => {
    const errorStart = (id: string, interrupting = '') => `<bpmn:startEvent id="${id}"${interrupting}><bpmn:errorEventDefinition /></bpmn:startEvent>`;
    expectProblems(await problemsOf(processXml(start + errorStart('ES'))), [['ES', /is an error start event; only an event sub-process starts on an error/]]);
    expectProblems(await problemsOf(processXml(`${start}<bpmn:startEvent id="ES"><bpmn:escalationEventDefinition /></bpmn:startEvent>`)),
      [['ES', /is an escalation start event; only an event sub-process starts on an escalation/]]);
    expectProblems(await problemsOf(processXml(`${start}<bpmn:subProcess id="Ev" triggeredByEvent="true">${errorStart('ES', ' isInterrupting="false"')}</bpmn:subProcess>`)),
      [['ES', /is a non-interrupting error start event; an error start event always interrupts/]]);
  });
});
