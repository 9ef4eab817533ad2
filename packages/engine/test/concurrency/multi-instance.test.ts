// Many clients complete the inner instances of one parallel multi-instance body at the same moment:
// every completion must be counted on the body, and the body must complete exactly once.
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';
import { camunda, flow } from '../support/job-engines.js';

const COMPLETED = 50;

// One instance more than are completed: the body can only complete by its completion condition, which
// holds once the counter has reached exactly the number of completions, none lost.
const voting = camunda('mi_concurrent', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'vote')}
    <bpmn:userTask id="vote">
      <bpmn:multiInstanceLoopCharacteristics>
        <bpmn:loopCardinality>${COMPLETED + 1}</bpmn:loopCardinality>
        <bpmn:completionCondition>\${nrOfCompletedInstances == ${COMPLETED}}</bpmn:completionCondition>
      </bpmn:multiInstanceLoopCharacteristics>
    </bpmn:userTask>${flow('f2', 'vote', 'after')}
    <bpmn:task id="after" />${flow('f3', 'after', 'end')}
    <bpmn:endEvent id="end" />`);

describe.each(testBackends())('concurrent completions of multi-instance tasks on %s', (backend) => {
  const engine = engineUnderTest(backend, 'concurrency-multi-instance', [voting], { poolSize: 20 });

  it(`completes a parallel body exactly once when ${COMPLETED} inner tasks are completed at the same moment`, async () => {
    const instance = await engine().startInstance({ process_definition_key: 'mi_concurrent' });
    const { data: tasks } = await engine().listTasks({ process_instance_id: instance.id, limit: 100 });
    expect(tasks).toHaveLength(COMPLETED + 1);
    const [left, ...completed] = tasks;
    await Promise.all(completed.map((t) => engine().completeTask(t.id)));

    const details = await engine().getInstance(instance.id);
    expect(details.status).toBe('completed');
    const atVote = details.activities.filter((a) => a.activity_id === 'vote');
    expect(atVote.filter((a) => a.type === 'multiInstanceBody').map((a) => a.status)).toEqual(['completed']);
    expect(atVote.filter((a) => a.type === 'userTask' && a.status === 'completed')).toHaveLength(COMPLETED);
    expect(atVote.find((a) => a.task_id === left!.id)?.status).toBe('cancelled');
    expect(details.execution_path.filter((p) => p.activity_id === 'after')).toHaveLength(1);
    expect(details.execution_path.filter((p) => p.activity_id === 'end')).toHaveLength(1);
    expect((await engine().getTask(left!.id)).status).toBe('cancelled');
  });
});
