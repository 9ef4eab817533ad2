// Run by plain `node` in a project that installed the packed engine: deploy, start, a service task worked
// by a handler, a user task, complete. Prints what happened as one line of JSON.
import { createEngine } from '@dadms/process-engine';

const model = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_order" targetNamespace="http://example.com/order">
  <bpmn:process id="order" isExecutable="true">
    <bpmn:startEvent id="placed" />
    <bpmn:sequenceFlow id="f1" sourceRef="placed" targetRef="score" />
    <bpmn:serviceTask id="score" camunda:type="external" camunda:topic="score" />
    <bpmn:sequenceFlow id="f2" sourceRef="score" targetRef="approve" />
    <bpmn:userTask id="approve" name="Approve order" camunda:candidateGroups="sales" />
    <bpmn:sequenceFlow id="f3" sourceRef="approve" targetRef="done" />
    <bpmn:endEvent id="done" />
  </bpmn:process>
</bpmn:definitions>`;

const engine = await createEngine(process.env.DATABASE_URL ? { databaseUrl: process.env.DATABASE_URL } : { dataDir: process.env.DATA_DIR });
try {
  await engine.deploy({ bpmn_xml: model });
  engine.handle('score', async (task) => ({ score: task.variables.amount.value * 2 }));
  const started = await engine.startInstance({ process_definition_key: 'order', variables: { amount: { value: 21 } } });
  let task;
  for (let attempt = 0; !task && attempt < 600; attempt++) {
    [task] = (await engine.listTasks({ process_instance_id: started.id, candidate_group: 'sales' })).data;
    if (!task) await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!task) throw new Error('the user task did not come after the service task');
  await engine.completeTask(task.id, { variables: { approved: { value: true } }, user_id: 'alice' });
  const finished = await engine.getInstance(started.id);
  console.log(JSON.stringify({
    task: task.name, status: finished.status, score: finished.variables.score?.value, approved: finished.variables.approved?.value,
  }));
} finally {
  await engine.close();
}
