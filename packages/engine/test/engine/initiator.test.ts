// camunda:initiator on a start event, as Camunda 7 fills it: every new instance gets the user who started
// it in that variable (null when nobody did), before its start variables, so that `${initiator}` can assign
// its first task to that user.
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';
import { camunda, flow } from '../support/job-engines.js';

const initiated = camunda('initiated', `
    <bpmn:startEvent id="start" camunda:initiator="initiator" />${flow('f1', 'start', 'review')}
    <bpmn:userTask id="review" camunda:assignee="\${initiator}" />${flow('f2', 'review', 'end')}
    <bpmn:endEvent id="end" />`);

describe.each(testBackends())('camunda:initiator on %s', (backend) => {
  const engine = engineUnderTest(backend, 'initiator', [initiated]);

  const started = async (input: { started_by?: string; variables?: Record<string, { value: unknown }> }) => {
    const instance = await engine().startInstance({ process_definition_key: 'initiated', ...input });
    const { data: [task] } = await engine().listTasks({ process_instance_id: instance.id });
    return { variables: await engine().getVariables(instance.id), assignee: task?.assignee ?? null };
  };

  it('holds the user who started the instance, whom ${initiator} assigns the first task to', async () => {
    const { variables, assignee } = await started({ started_by: 'bono' });
    expect(variables.initiator).toEqual({ value: 'bono', type: 'String' });
    expect(assignee).toBe('bono');
  });

  it('is null for an instance nobody in particular started, whose task then waits unassigned', async () => {
    const { variables, assignee } = await started({});
    expect(variables.initiator).toEqual({ value: null, type: 'Null' });
    expect(assignee).toBeNull();
  });

  it('gives way to a start variable of the same name', async () => {
    const { variables, assignee } = await started({ started_by: 'bono', variables: { initiator: { value: 'edge' } } });
    expect(variables.initiator).toEqual({ value: 'edge', type: 'String' });
    expect(assignee).toBe('edge');
  });
});
