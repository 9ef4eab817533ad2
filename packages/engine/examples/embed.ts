// Embedding the engine in another Node service: deploy a model, start an instance, and work its user task,
// all in-process. `npx tsx --conditions=source packages/engine/examples/embed.ts` runs it on an in-memory
// PGlite (nothing to set up); packages/engine/test/examples/embed.test.ts runs the same function on every
// test backend.
import { pathToFileURL } from 'node:url';
import { createEngine, type EngineOptions } from '@dadms/process-engine';

const expenseXml = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_expense" targetNamespace="http://example.com/expense">
  <bpmn:process id="expense" name="Expense approval" isExecutable="true">
    <bpmn:startEvent id="submitted" />
    <bpmn:sequenceFlow id="f1" sourceRef="submitted" targetRef="approve" />
    <bpmn:userTask id="approve" name="Approve expense" camunda:candidateGroups="finance" />
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="done" />
    <bpmn:endEvent id="done" />
  </bpmn:process>
</bpmn:definitions>`;

/** Options left out: an in-memory PGlite. Pass `{ dataDir }` or `{ databaseUrl }` to keep the data. */
export async function runExample(options: EngineOptions = {}) {
  const engine = await createEngine(options);
  try {
    await engine.deploy({ bpmn_xml: expenseXml, name: 'expenses' });

    const started = await engine.startInstance({
      process_definition_key: 'expense',
      business_key: 'EXP-42',
      variables: { amount: { value: 120.5 } },
    });

    // The instance now waits at the user task; a finance clerk claims it and approves.
    const [task] = (await engine.listTasks({ candidate_group: 'finance', process_instance_id: started.id })).data;
    if (!task) throw new Error('expected the approval task to be open');
    await engine.claimTask(task.id, 'alice');
    await engine.completeTask(task.id, { variables: { approved: { value: true } }, user_id: 'alice' });

    const finished = await engine.getInstance(started.id);
    return {
      startedStatus: started.status,
      taskName: task.name,
      finishedStatus: finished.status,
      variables: finished.variables,
    };
  } finally {
    await engine.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await runExample());
}
