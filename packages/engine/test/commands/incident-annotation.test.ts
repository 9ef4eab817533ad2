// A note on an open incident: set, replaced and removed, each in the audit trail of its instance without
// the note itself; an incident no longer open keeps the note it had.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { testBackends } from '../../src/testing/index.js';
import { engineUnderTest } from '../support/engine-under-test.js';

const model = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
    id="Definitions_annotation" targetNamespace="http://example.com/test">
  <bpmn:process id="annotated" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="charge" />
    <bpmn:serviceTask id="charge" camunda:type="external" camunda:topic="annotated_charge" />
    <bpmn:sequenceFlow id="f2" sourceRef="charge" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

describe.each(testBackends())('incident annotations on %s', (backend) => {
  const engine = engineUnderTest(backend, 'commands/incident-annotation', [model]);

  /** an instance whose external task failed for good, and the incident that left */
  const failedCharge = async () => {
    const instance = await engine().startInstance({ process_definition_key: 'annotated' });
    const [task] = await engine().fetchAndLock({
      worker_id: 'w', max_tasks: 1, topics: [{ topic_name: 'annotated_charge', lock_duration: 60_000, process_instance_id: instance.id }],
    });
    await engine().failExternalTask(task!.id, { worker_id: 'w', error_message: 'card declined', retries: 0 });
    const [incident] = (await engine().listIncidents({ process_instance_id: instance.id, status: 'open' })).data;
    return { instanceId: instance.id, incidentId: incident!.id };
  };
  const annotationAudits = async (instanceId: string) =>
    (await engine().getInstance(instanceId)).audit_trail.filter((entry) => entry.operation.endsWith('Annotation'));

  it('sets, replaces and removes the note of an open incident, each change in the audit trail', async () => {
    const { instanceId, incidentId } = await failedCharge();
    expect(await engine().setIncidentAnnotation(incidentId, 'the provider is down', { user_id: 'ops' }))
      .toMatchObject({ id: incidentId, status: 'open', annotation: 'the provider is down' });
    await engine().setIncidentAnnotation(incidentId, 'retry after noon');
    const [listed] = (await engine().listIncidents({ id: incidentId })).data;
    expect(listed?.annotation).toBe('retry after noon');

    const cleared = await engine().setIncidentAnnotation(incidentId, null, { user_id: 'ops' });
    expect(cleared).not.toHaveProperty('annotation');
    expect(await engine().getIncident(incidentId)).not.toHaveProperty('annotation');
    const audits = await annotationAudits(instanceId);
    expect(audits.map((a) => [a.operation, a.user_id, a.activity_id, a.new_value])).toEqual([
      ['SetAnnotation', 'ops', 'charge', incidentId], ['SetAnnotation', undefined, 'charge', incidentId], ['ClearAnnotation', 'ops', 'charge', incidentId],
    ]);
    expect(JSON.stringify(audits)).not.toContain('provider');
    // the incident is still open and the token still waits at it
    expect((await engine().getInstance(instanceId)).status).toBe('active');
  });

  it('refuses a note on an unknown incident, one no longer open, or one too long, and changes nothing', async () => {
    const unknown = randomUUID();
    await expect(engine().setIncidentAnnotation(unknown, 'x')).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringContaining(`Incident '${unknown}'`) });
    const { incidentId } = await failedCharge();
    await expect(engine().setIncidentAnnotation(incidentId, 'x'.repeat(4001))).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
    await engine().setIncidentAnnotation(incidentId, 'x'.repeat(4000));
    await engine().setIncidentAnnotation(incidentId, 'kept');
    await engine().resolveIncident(incidentId, { resolution_type: 'manual' });
    await expect(engine().setIncidentAnnotation(incidentId, 'too late')).rejects.toMatchObject({ code: 'CONFLICT' });
    expect(await engine().getIncident(incidentId)).toMatchObject({ status: 'resolved', annotation: 'kept' });
  });
});
