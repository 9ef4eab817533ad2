// The benchmark's models, inline so that the bench needs no files beside it. Each process id is the key the
// bench starts instances by.

const definitions = (body: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Definitions_bench" targetNamespace="http://bpmn.io/schema/bpmn">
${body}
</bpmn:definitions>
`;

/** start → end: the cost of one command that creates and finishes an instance. */
export const startEnd = {
  key: 'bench_start_end',
  xml: definitions(`  <bpmn:process id="bench_start_end" name="Bench: start to end" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`),
};

/** start → user task → end: a command that parks the instance, then one that completes it. */
const oneUserTask = (key: string, name: string) => ({
  key,
  xml: definitions(`  <bpmn:process id="${key}" name="${name}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:userTask id="review" name="Review" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`),
});

export const userTask = oneUserTask('bench_user_task', 'Bench: one user task');

const BRANCHES = 10;
const branches = Array.from({ length: BRANCHES }, (_, i) => i + 1);

/** start → parallel split into 10 branches of one task each → parallel join → end, in one command. */
export const parallel10 = {
  key: 'bench_parallel_10',
  xml: definitions(`  <bpmn:process id="bench_parallel_10" name="Bench: 10-branch parallel split and join" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f_in" sourceRef="start" targetRef="split" />
    <bpmn:parallelGateway id="split" />
${branches
  .map(
    (i) => `    <bpmn:sequenceFlow id="f_split_${i}" sourceRef="split" targetRef="task_${i}" />
    <bpmn:task id="task_${i}" name="Branch ${i}" />
    <bpmn:sequenceFlow id="f_join_${i}" sourceRef="task_${i}" targetRef="join" />`,
  )
  .join('\n')}
    <bpmn:parallelGateway id="join" />
    <bpmn:sequenceFlow id="f_out" sourceRef="join" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`),
};

export const MULTI_INSTANCES = 20;

/** start → 20 parallel inner instances of one user task → end: 21 commands, the last completing the body */
export const multiInstance20 = {
  key: 'bench_multi_instance_20',
  xml: definitions(`  <bpmn:process id="bench_multi_instance_20" name="Bench: 20-way parallel multi-instance user task" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:userTask id="review" name="Review">
      <bpmn:multiInstanceLoopCharacteristics><bpmn:loopCardinality>${MULTI_INSTANCES}</bpmn:loopCardinality></bpmn:multiInstanceLoopCharacteristics>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`),
};

/** called by bench_call_activity */
export const calledProcess = oneUserTask('bench_called', 'Bench: called process');

/** start → call activity (bench_called, a variable in and out) → end: the start also starts the child, its task's completion ends both */
export const callActivity = {
  key: 'bench_call_activity',
  xml: definitions(`  <bpmn:process id="bench_call_activity" name="Bench: call activity round trip" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call" />
    <bpmn:callActivity id="call" name="Call" calledElement="bench_called">
      <bpmn:extensionElements><camunda:in sourceExpression="\${1}" target="n" /><camunda:out source="n" target="m" /></bpmn:extensionElements>
    </bpmn:callActivity>
    <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`),
};

export const models = [startEnd, userTask, parallel10, multiInstance20, calledProcess, callActivity];

// Jobs (bench/jobs.ts). Each takes its process id, so that a warm-up can run on a model of its own.

/** start → service task (topic `topic`) → end; with `async`, a job (asyncBefore) leads to the task. */
export const serviceTask = (key: string, topic: string, async: boolean) => ({
  key,
  xml: definitions(`  <bpmn:process id="${key}" name="Bench: service task" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:serviceTask id="work" name="Work" camunda:type="external" camunda:topic="${topic}"${async ? ' camunda:asyncBefore="true"' : ''} />
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`),
});

/** start → timer catch at the ISO date in variable `due` → end */
export const timerCatch = (key: string) => ({
  key,
  xml: definitions(`  <bpmn:process id="${key}" name="Bench: timer catch" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:intermediateCatchEvent id="wait" name="Wait">
      <bpmn:timerEventDefinition id="wait_timer">
        <bpmn:timeDate xsi:type="bpmn:tFormalExpression">\${due}</bpmn:timeDate>
      </bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`),
});

const ONE_ATTEMPT = '<camunda:failedJobRetryTimeCycle>R1/PT0S</camunda:failedJobRetryTimeCycle>';

/** start → service task of topic `topic` with one attempt (retries 1) → end */
export const failingHandlerTask = (key: string, topic: string) => ({
  key,
  xml: definitions(`  <bpmn:process id="${key}" name="Bench: failing handler" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="work" />
    <bpmn:serviceTask id="work" name="Work" camunda:type="external" camunda:topic="${topic}">
      <bpmn:extensionElements>${ONE_ATTEMPT}</bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="work" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`),
});

/** start → HTTP connector call (a service job) of GET baseUrl/n, with one attempt → end */
export const failingHttpCall = (key: string, baseUrl: string) => ({
  key,
  xml: definitions(`  <bpmn:process id="${key}" name="Bench: failing HTTP call" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call" />
    <bpmn:serviceTask id="call" name="Call">
      <bpmn:extensionElements>
        <camunda:connector>
          <camunda:connectorId>http-connector</camunda:connectorId>
          <camunda:inputOutput>
            <camunda:inputParameter name="url">${baseUrl}/\${n}</camunda:inputParameter>
            <camunda:inputParameter name="method">GET</camunda:inputParameter>
          </camunda:inputOutput>
        </camunda:connector>
        ${ONE_ATTEMPT}
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`),
});
