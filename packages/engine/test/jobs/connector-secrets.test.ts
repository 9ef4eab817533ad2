// A connector's secrets are put in for the call only: the service gets them, but no table (jobs,
// variables, history, audit, incidents, outbox events) and no log line ever holds one, even when the
// service echoes it back. A call the allow-list does not cover, or a secret without a value, is a
// failed attempt saying why.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { capturedLogs } from '../support/captured-logs.js';
import { httpConnectorTask } from '../support/http-connector-task.js';
import { allowingService, httpService } from '../support/http-service.js';
import { camunda, flow, jobBackends, jobEngines, waitFor } from '../support/job-engines.js';
import type { Engine } from '../../src/index.js';

/** a call of `${url}` with the secret in a header and the body, its answer as `reply`, one attempt */
const secretTask = (secret: string) => httpConnectorTask('call', {
  url: '${url}',
  method: 'POST',
  headers: `<camunda:map><camunda:entry key="Authorization">Bearer {{secrets.${secret}}}</camunda:entry></camunda:map>`,
  payload: `{"token": "{{secrets.${secret}}}"}`,
}, { outputs: { reply: '${response}' }, extensions: '<camunda:failedJobRetryTimeCycle>R1/PT0S</camunda:failedJobRetryTimeCycle>' });

/** start → a call with the secret API_TOKEN (or `secret`) → user task `after` */
const secretCall = (key: string, secret = 'API_TOKEN') => camunda(key, `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'call')}${secretTask(secret)}${flow('f2', 'call', 'after')}
    <bpmn:userTask id="after" />${flow('f3', 'after', 'end')}
    <bpmn:endEvent id="end" />`);

const TABLES = [
  'process_instances', 'executions', 'process_variables', 'tasks', 'external_tasks', 'event_subscriptions', 'jobs',
  'incidents', 'incident_history', 'activity_instances', 'audit_log', 'outbox',
];

const openIncident = (engine: Engine, instanceId: string) =>
  waitFor(async () => (await engine.listIncidents({ process_instance_id: instanceId, status: 'open' })).data[0], 10_000, 'an incident');

describe.each(jobBackends())('connector secrets on $name', (backend) => {
  const SECRET = `s3cret-${randomUUID()}`;
  const service = httpService();
  service.answer = (request) => ({ status: request.url.startsWith('/fail') ? 500 : 200, body: request });
  const { lines: logged, logger } = capturedLogs();
  const engine = jobEngines(backend, 'connector-secrets', [secretCall('with_secret'), secretCall('without_secret', 'NOT_SET')], {
    httpConnector: allowingService(service, { secret: (name) => ({ API_TOKEN: SECRET, ADMIN_TOKEN: `admin-${SECRET}` })[name] }),
    logger,
  });
  const unconfigured = jobEngines(backend, 'connector-unconfigured', [secretCall('refused_call')]);

  it('sends the secret, and no table nor log holds it, from an answer or an error that echoes it either', async () => {
    const ok = await engine().startInstance({ process_definition_key: 'with_secret', variables: { url: { value: service.url('/echo?key={{secrets.API_TOKEN}}') } } });
    await waitFor(async () => (await engine().listTasks({ process_instance_id: ok.id })).total === 1, 10_000, 'the call');
    const failed = await engine().startInstance({ process_definition_key: 'with_secret', variables: { url: { value: service.url('/fail') } } });
    const incident = await openIncident(engine(), failed.id);

    const encoded = encodeURIComponent(SECRET);
    expect(service.receivedOn('/echo')).toMatchObject([{ url: `/echo?key=${encoded}`, headers: { authorization: `Bearer ${SECRET}` }, body: `{"token": "${SECRET}"}` }]);
    expect(service.receivedOn('/fail')).toMatchObject([{ headers: { authorization: `Bearer ${SECRET}` } }]);
    expect((await engine().getVariables(ok.id)).reply!.value).toMatchObject({ headers: { authorization: 'Bearer {{secrets.API_TOKEN}}' } });
    expect(incident.incident_message).toContain('answered 500');
    expect(incident.incident_message).toContain('{{secrets.API_TOKEN}}');

    const rows = await Promise.all(TABLES.map((table) => engine.sql(`SELECT * FROM ${table}`)));
    const stored = JSON.stringify(rows);
    expect(stored).toContain('{{secrets.API_TOKEN}}');
    expect(stored).not.toContain(SECRET);
    expect(stored).not.toContain(encoded);
    expect(logged.join('\n')).not.toContain(SECRET);
  });

  it('fails the attempt naming a secret that has no value, and calls nothing', async () => {
    const before = service.received.length;
    const instance = await engine().startInstance({ process_definition_key: 'without_secret', variables: { url: { value: service.url('/echo') } } });
    const incident = await openIncident(engine(), instance.id);
    expect(incident).toMatchObject({ incident_type: 'failedJob', activity_id: 'call' });
    expect(incident.incident_message).toBe(`POST ${service.url('/echo')} failed: the secret 'NOT_SET' is not set`);
    expect(service.received).toHaveLength(before);
  });

  it('puts in only the secrets the model names, not one a variable brings in', async () => {
    const before = service.received.length;
    const url = service.url('/echo?key={{secrets.ADMIN_TOKEN}}');
    const instance = await engine().startInstance({ process_definition_key: 'with_secret', variables: { url: { value: url } } });
    const incident = await openIncident(engine(), instance.id);
    expect(incident.incident_message).toBe(`POST ${url} failed: the secret 'ADMIN_TOKEN' is not named in the connector's model, only in a value`);
    expect(service.received).toHaveLength(before);
  });

  it('refuses every call of an engine without allowed URLs', async () => {
    const before = service.received.length;
    const instance = await unconfigured().startInstance({ process_definition_key: 'refused_call', variables: { url: { value: service.url('/echo') } } });
    const incident = await openIncident(unconfigured(), instance.id);
    expect(incident.incident_message).toBe(`POST ${service.url('/echo')} is refused: it is under none of the connector's allowed URLs`);
    expect(service.received).toHaveLength(before);
  });
});
