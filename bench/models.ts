// The benchmark's models, inline so that the bench needs no files beside it. Each process id is the key the
// bench starts instances by.

const definitions = (body: string): string => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="Definitions_bench" targetNamespace="http://bpmn.io/schema/bpmn">
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
export const userTask = {
  key: 'bench_user_task',
  xml: definitions(`  <bpmn:process id="bench_user_task" name="Bench: one user task" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:userTask id="review" name="Review" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`),
};

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

export const models = [startEnd, userTask, parallel10];
