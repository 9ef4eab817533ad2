// Protected variables set every way a process sets them — start variables, a task's completion, a
// variable update, a service task's result, a call activity's mapping, an HTTP call's request — read back
// decrypted through the engine, while no table holds one in clear (nor pg_dump on PostgreSQL), events
// carry `***`, and message correlation still finds an instance by one.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EngineOptions } from '../../src/index.js';
import { httpConnectorTask } from '../support/http-connector-task.js';
import { capturedLogs } from '../support/captured-logs.js';
import { allowingService, httpService } from '../support/http-service.js';
import { camunda, flow, jobBackends, jobEngines, waitFor } from '../support/job-engines.js';
import { storedText } from '../support/stored-text.js';

const SECRETS = {
  ssn: 'SSN-111-22-3333',
  card_number: 987654321987,
  card_cvv: 'CVV-7731',
  api_secret: 'API-SECRET-8812',
  card_pin: 'PIN-5521',
  card_token: 'TOKEN-3141',
  gate_secret: 'GATE-SECRET-5050',
  worker_secret: 'WORKER-SECRET-6060',
};
const PLAIN = 'PLAIN-VISIBLE-4477';

const protection: EngineOptions['variableProtection'] = {
  keys: [{ id: 'k1', key: randomBytes(32).toString('base64') }],
  protectedVariables: ['*ssn', 'card_*', '*_secret'],
};

/** start → review → service task `score` (a handler) → call of vault_child (ssn in as child_ssn) → receive `release` → end */
const vault = camunda('vault', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'review')}
    <bpmn:userTask id="review" />${flow('f2', 'review', 'score')}
    <bpmn:serviceTask id="score" camunda:type="external" camunda:topic="score" />${flow('f3', 'score', 'call')}
    <bpmn:callActivity id="call" calledElement="vault_child">
      <bpmn:extensionElements>
        <camunda:in source="ssn" target="child_ssn" />
        <camunda:in source="plain" target="plain" />
      </bpmn:extensionElements>
    </bpmn:callActivity>${flow('f4', 'call', 'wait')}
    <bpmn:receiveTask id="wait" messageRef="release" />${flow('f5', 'wait', 'end')}
    <bpmn:endEvent id="end" />`, `
  <bpmn:message id="release" name="release" />`);

const vaultChild = camunda('vault_child', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'child_task')}
    <bpmn:userTask id="child_task" />${flow('f2', 'child_task', 'end')}
    <bpmn:endEvent id="end" />`);

/** start → an HTTP call with the protected card_token in its query and body, one attempt → end */
const vaultCall = camunda('vault_call', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'call')}${httpConnectorTask('call', { url: '${url}?token=${card_token}', method: 'POST', payload: '${card_token}' }, {
      extensions: `
        <camunda:failedJobRetryTimeCycle>R1/PT0S</camunda:failedJobRetryTimeCycle>`,
    })}${flow('f2', 'call', 'end')}
    <bpmn:endEvent id="end" />`);

/** start → a gateway whose condition is the protected gate_secret itself, no default: an incident quoting it */
const vaultGate = camunda('vault_gate', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'gate')}
    <bpmn:exclusiveGateway id="gate" />${flow('f2', 'gate', 'end', '${gate_secret}')}
    <bpmn:endEvent id="end" />`);

/** start → a task for a REST worker on topic vault_worker → end */
const vaultWorker = camunda('vault_worker', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'work')}
    <bpmn:serviceTask id="work" camunda:type="external" camunda:topic="vault_worker" />${flow('f2', 'work', 'end')}
    <bpmn:endEvent id="end" />`);

describe.each(jobBackends())('protected variables on $name', (backend) => {
  const service = httpService();
  const logs = capturedLogs();
  const engine = jobEngines(backend, 'protected-variables', [vaultChild, vault, vaultCall, vaultGate, vaultWorker], {
    variableProtection: protection, httpConnector: allowingService(service), logger: logs.logger,
  });
  let parentId = '';
  let childId = '';
  let handlerSaw: unknown;

  it('answers protected variables decrypted, however they were set', async () => {
    engine().handle('score', async (task) => {
      handlerSaw = task.variables.ssn?.value;
      return { card_pin: SECRETS.card_pin };
    });
    const started = await engine().startInstance({
      process_definition_key: 'vault',
      variables: { ssn: { value: SECRETS.ssn }, card_number: { value: SECRETS.card_number }, plain: { value: PLAIN } },
    });
    parentId = started.id;
    expect(started.variables.ssn?.value).toBe(SECRETS.ssn);
    await engine().updateVariables(parentId, [{ variable_name: 'api_secret', value: SECRETS.api_secret }], { user_id: 'bob' });
    const { data: [review] } = await engine().listTasks({ process_instance_id: parentId });
    await engine().completeTask(review!.id, { variables: { card_cvv: { value: SECRETS.card_cvv } } });
    const child = await waitFor(async () => (await engine().listInstances({ super_instance_id: parentId })).data[0], 10_000, 'the called instance');
    childId = child.id;

    const variables = await engine().getVariables(parentId);
    const { ssn, card_number, card_cvv, api_secret, card_pin } = SECRETS;
    expect(Object.fromEntries(Object.entries(variables).map(([name, v]) => [name, v.value])))
      .toEqual({ ssn, card_number, card_cvv, api_secret, card_pin, plain: PLAIN });
    expect(variables.card_number?.type).toBe('Long');
    expect(handlerSaw).toBe(SECRETS.ssn);
    expect((await engine().getVariables(childId)).child_ssn?.value).toBe(SECRETS.ssn);
    const { data: [childTask] } = await engine().listTasks({ process_instance_id: childId });
    expect((await engine().getTask(childTask!.id)).variables?.child_ssn?.value).toBe(SECRETS.ssn);
    const update = (await engine().getInstance(parentId)).audit_trail.find((e) => e.operation === 'SetVariable');
    expect(update).toMatchObject({ property: 'api_secret', new_value: JSON.stringify(SECRETS.api_secret) });
    await engine().completeTask(childTask!.id);
  });

  it('correlates a message by a protected variable through its keyed hash', async () => {
    await expect(engine().correlateMessage({ message_name: 'release', correlation_keys: { ssn: 'SSN-000-00-0000' } }))
      .rejects.toMatchObject({ code: 'NOT_FOUND' });
    const [delivered] = await engine().correlateMessage({ message_name: 'release', correlation_keys: { ssn: SECRETS.ssn } });
    expect(delivered).toMatchObject({ process_instance_id: parentId, activity_id: 'wait' });
    expect((await engine().getInstance(parentId)).status).toBe('completed');
  });

  it('calls an HTTP service with the decrypted request, kept encrypted in the job', async () => {
    service.answer = () => ({ status: 500, body: { error: 'down' } });
    const started = await engine().startInstance({
      process_definition_key: 'vault_call', variables: { url: { value: service.url('/vault') }, card_token: { value: SECRETS.card_token } },
    });
    const incident = await waitFor(async () => (await engine().listIncidents({ process_instance_id: started.id })).data[0], 10_000, 'the failedJob incident');
    expect(service.receivedOn('/vault').map((r) => [r.url, r.body])).toEqual([[`/vault?token=${SECRETS.card_token}`, SECRETS.card_token]]);
    const [job] = await engine.sql<{ payload: string; exception_message: string }>(`select payload, exception_message from jobs where process_instance_id = $1`, [started.id]);
    expect(job?.payload).toMatch(/^enc:v1:k1:/);
    expect(job?.exception_message).toContain('/vault?token=***');
    expect(incident.incident_message).toContain('/vault?token=***');
  });

  it('masks protected values in the error texts of incidents and workers', async () => {
    const gated = await engine().startInstance({ process_definition_key: 'vault_gate', variables: { gate_secret: { value: SECRETS.gate_secret } } });
    const { data: [gateIncident] } = await engine().listIncidents({ process_instance_id: gated.id });
    expect(gateIncident?.incident_message).toContain(`The condition '\${gate_secret}' yields ***, not true or false`);
    const worked = await engine().startInstance({ process_definition_key: 'vault_worker', variables: { worker_secret: { value: SECRETS.worker_secret } } });
    const [task] = await engine().fetchAndLock({ worker_id: 'w1', max_tasks: 1, topics: [{ topic_name: 'vault_worker', lock_duration: 60_000 }] });
    expect(task?.variables.worker_secret?.value).toBe(SECRETS.worker_secret);
    await engine().failExternalTask(task!.id, {
      worker_id: 'w1', retries: 0, error_message: `declined ${SECRETS.worker_secret}`, error_details: `at check("${SECRETS.worker_secret}")`,
    });
    const { data: [workerIncident] } = await engine().listIncidents({ process_instance_id: worked.id });
    expect(workerIncident?.incident_message).toBe('declined ***');
    const [failed] = await engine.sql<{ error_message: string; error_details: string }>(
      `select error_message, error_details from external_tasks where process_instance_id = $1`, [worked.id]);
    expect(failed).toEqual({ error_message: 'declined ***', error_details: 'at check(***)' });
  });

  it('keeps an idempotent answer encrypted and gives it back as it was', async () => {
    const response = JSON.stringify({ variables: { ssn: { value: SECRETS.ssn } } });
    await engine().rememberIdempotent('vault-key', { request_hash: 'h', status_code: 201, response });
    expect(await engine().recallIdempotent('vault-key')).toMatchObject({ request_hash: 'h', status_code: 201, response });
  });

  it('writes events with protected values masked', async () => {
    const events = await engine.sql<{ type: string; payload: string }>(
      `select type, payload from outbox where process_instance_id = $1 and type in ('process_manager.instance.started', 'process_manager.task.completed') order by seq`,
      [parentId]);
    expect(events.map((e) => [e.type, JSON.parse(e.payload).variables])).toEqual([
      ['process_manager.instance.started', { ssn: '***', card_number: '***', plain: PLAIN }],
      ['process_manager.task.completed', { card_cvv: '***' }],
    ]);
  });

  it('masks an event as a relay or a log shows it', () => {
    expect(engine().maskEvent({ type: 'process_manager.task.completed', variables: { card_cvv: SECRETS.card_cvv, plain: PLAIN } }))
      .toEqual({ type: 'process_manager.task.completed', variables: { card_cvv: '***', plain: PLAIN } });
    const event = { type: 'process_manager.task.created', task_id: 't' };
    expect(engine().maskEvent(event)).toBe(event);
  });

  it('stores no protected value in clear anywhere, nor logs one', async () => {
    const stored = await storedText((text) => engine.sql(text), engine.options().databaseUrl);
    expect(stored).toContain(PLAIN);
    for (const secret of Object.values(SECRETS)) expect(stored).not.toContain(String(secret));
    const logged = logs.lines.join('\n');
    for (const secret of Object.values(SECRETS)) expect(logged).not.toContain(String(secret));
  });
});
