// Service tasks the engine calls itself over HTTP, as jobs of type 'service': the request a real local
// service received, the response mapped to variables (Camunda 7 http-connector and Camunda 8 REST
// connector), and what happens when the service fails: retries with backoff, a failedJob incident at
// zero, and each way of resolving it.
import { describe, expect, it } from 'vitest';
import type { Incident } from '../../src/index.js';
import { allowingService, httpService } from '../support/http-service.js';
import { camunda, flow, jobBackends, jobEngines, waitFor, zeebe } from '../support/job-engines.js';

/** start → service task `call` posting to `${url}` → user task `after` */
const callThen = (key: string, retryCycle?: string) => camunda(key, `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'call')}
    <bpmn:serviceTask id="call" name="Call the service">
      <bpmn:extensionElements>
        <camunda:connector>
          <camunda:connectorId>http-connector</camunda:connectorId>
          <camunda:inputOutput>
            <camunda:inputParameter name="url">\${url}</camunda:inputParameter>
            <camunda:inputParameter name="method">POST</camunda:inputParameter>
            <camunda:inputParameter name="payload">\${order}</camunda:inputParameter>
            <camunda:outputParameter name="status">\${statusCode}</camunda:outputParameter>
          </camunda:inputOutput>
        </camunda:connector>${retryCycle ? `
        <camunda:failedJobRetryTimeCycle>${retryCycle}</camunda:failedJobRetryTimeCycle>` : ''}
      </bpmn:extensionElements>
    </bpmn:serviceTask>${flow('f2', 'call', 'after')}
    <bpmn:userTask id="after" />${flow('f3', 'after', 'end')}
    <bpmn:endEvent id="end" />`);

// Camunda 7 as the modeler writes it: a JSON text payload built from variables, a header map, outputs over the response
const camunda7Order = camunda('c7_order', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'create')}
    <bpmn:serviceTask id="create" name="Create order">
      <bpmn:extensionElements>
        <camunda:connector>
          <camunda:connectorId>http-connector</camunda:connectorId>
          <camunda:inputOutput>
            <camunda:inputParameter name="url">\${url}</camunda:inputParameter>
            <camunda:inputParameter name="method">POST</camunda:inputParameter>
            <camunda:inputParameter name="headers">
              <camunda:map>
                <camunda:entry key="Content-Type">application/json</camunda:entry>
                <camunda:entry key="X-Customer">\${customer}</camunda:entry>
              </camunda:map>
            </camunda:inputParameter>
            <camunda:inputParameter name="payload">{"orderId": \${orderId}, "customer": "\${customer}"}</camunda:inputParameter>
            <camunda:outputParameter name="created">\${response}</camunda:outputParameter>
            <camunda:outputParameter name="createdStatus">\${statusCode}</camunda:outputParameter>
          </camunda:inputOutput>
        </camunda:connector>
      </bpmn:extensionElements>
    </bpmn:serviceTask>${flow('f2', 'create', 'end')}
    <bpmn:endEvent id="end" />`);

const camunda8Order = zeebe('c8_order', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'create')}
    <bpmn:serviceTask id="create" name="Create order" zeebe:modelerTemplate="io.camunda.connectors.HttpJson.v2">
      <bpmn:extensionElements>
        <zeebe:taskDefinition type="io.camunda:http-json:1" retries="3" />
        <zeebe:ioMapping>
          <zeebe:input source="noAuth" target="authentication.type" />
          <zeebe:input source="PUT" target="method" />
          <zeebe:input source="=url" target="url" />
          <zeebe:input source="={&quot;X-Customer&quot;: customer}" target="headers" />
          <zeebe:input source="={source: &quot;c8&quot;}" target="queryParameters" />
          <zeebe:input source="={id: orderId, items: items}" target="body" />
        </zeebe:ioMapping>
        <zeebe:taskHeaders>
          <zeebe:header key="resultVariable" value="httpResult" />
          <zeebe:header key="resultExpression" value="={orderNumber: body.number, accepted: status = 200}" />
        </zeebe:taskHeaders>
      </bpmn:extensionElements>
    </bpmn:serviceTask>${flow('f2', 'create', 'end')}
    <bpmn:endEvent id="end" />`);

describe.each(jobBackends())('HTTP service calls as jobs on $name', (backend) => {
  const service = httpService();
  const engine = jobEngines(backend, 'http-jobs', [callThen('flaky_call'), callThen('retry_cycle_call', 'R2/PT0.1S'), camunda7Order, camunda8Order], {
    httpConnector: allowingService(service),
  });

  /** paths that answer 500 until removed */
  const failing = new Set<string>();
  /** `path#n`: the n-th request on the path gets no answer until the promise settles */
  const held = new Map<string, Promise<void>>();
  service.answer = async (request) => {
    const path = request.url.split('?')[0]!;
    await held.get(`${path}#${service.receivedOn(path).indexOf(request) + 1}`);
    if (failing.has(path)) return { status: 500, body: { error: `${path} is down` } };
    return { status: path.startsWith('/orders') ? 201 : 200, body: { number: 42 } };
  };

  let calls = 0;
  /** a path of its own for each test, failing at first */
  const failingPath = () => {
    const path = `/flaky/${++calls}`;
    failing.add(path);
    return path;
  };

  const openIncident = (instanceId: string): Promise<Incident> =>
    waitFor(async () => (await engine().listIncidents({ process_instance_id: instanceId, status: 'open' })).data[0], 15_000, 'an open incident');
  const tasksOf = async (instanceId: string) => (await engine().listTasks({ process_instance_id: instanceId })).data.map((t) => t.task_definition_key);

  async function startFailing(key = 'flaky_call', path = failingPath()) {
    const instance = await engine().startInstance({
      process_definition_key: key, variables: { url: { value: service.url(path) }, order: { value: { id: calls } } },
    });
    return { instance, path };
  }

  describe('retries and incidents', () => {
    it('counts retries down with backoff, then opens a failedJob incident holding the error; retry restores the retries and the call succeeds', async () => {
      // the second attempt is held at the service, so that the job can be looked at between attempts
      const path = failingPath();
      let release!: () => void;
      held.set(`${path}#2`, new Promise<void>((resolve) => (release = resolve)));
      const { instance } = await startFailing('flaky_call', path);
      expect(instance.current_activities.map((a) => a.activity_id)).toEqual(['call']);
      await waitFor(() => service.receivedOn(path).length === 2, 10_000, 'the second attempt');
      const { data: [running] } = await engine().listJobs({ process_instance_id: instance.id });
      expect(running).toMatchObject({ type: 'service', activity_id: 'call', retries: 2 });
      expect(running!.exception_message).toContain('500');
      expect((await engine().listJobs({ process_instance_id: instance.id, failed: true })).total).toBe(0);
      expect((await engine().listIncidents({ process_instance_id: instance.id })).total).toBe(0);
      release();
      const incident = await openIncident(instance.id);

      // three attempts, the default, each later than the backoff before it (50 ms, then 100 ms)
      const attempts = service.receivedOn(path).map((r) => r.at);
      expect(attempts).toHaveLength(3);
      expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(50);
      expect(attempts[2]! - attempts[1]!).toBeGreaterThanOrEqual(100);
      expect(incident).toMatchObject({ incident_type: 'failedJob', activity_id: 'call', status: 'open', process_instance_id: instance.id });
      expect(incident.incident_message).toContain('500');
      expect(incident.incident_message).toContain(`${path} is down`);

      const [job] = (await engine().listJobs({ process_instance_id: instance.id })).data;
      expect(job).toMatchObject({ type: 'service', activity_id: 'call', retries: 0 });
      expect(job!.exception_message).toContain('500');
      expect(incident.configuration).toBe(job!.id);
      expect(await engine().getJob(job!.id)).toMatchObject({ retries: 0, exception_message: job!.exception_message });
      expect((await engine().listJobs({ failed: true, limit: 1000 })).data.map((j) => j.id)).toContain(job!.id);
      expect((await engine().listJobs({ failed: false, limit: 1000 })).data.map((j) => j.id)).not.toContain(job!.id);
      // it stays failed: nothing calls the service again on its own
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(service.receivedOn(path)).toHaveLength(3);

      // retry while the service still fails: three fresh attempts, then a new incident
      await engine().resolveIncident(incident.id, { resolution_type: 'retry', resolved_by: 'ops' });
      await waitFor(async () => (await engine().listIncidents({ process_instance_id: instance.id, status: 'open' })).total === 1
        && service.receivedOn(path).length === 6, 15_000, 'three more attempts and a new incident');
      const second = await openIncident(instance.id);
      expect(second.id).not.toBe(incident.id);

      failing.delete(path);
      await engine().resolveIncident(second.id, { resolution_type: 'retry' });
      await waitFor(async () => (await tasksOf(instance.id)).includes('after'), 15_000, 'the instance to move on');
      expect(service.receivedOn(path)).toHaveLength(7);
      expect(await engine().listJobs({ process_instance_id: instance.id })).toMatchObject({ total: 0 });
      const details = await engine().getInstance(instance.id);
      expect(details.variables.status?.value).toBe(200);
      expect(details.execution_path.map((p) => p.activity_id)).toEqual(['start', 'call', 'after']);

      const history = await engine().getIncident(incident.id);
      expect(history).toMatchObject({ status: 'resolved', resolution: { resolution_type: 'retry', resolved_by: 'ops' } });
      expect(history.history.map((h) => h.action)).toEqual(['created', 'resolved']);
    });

    it('skip leaves the activity as if it had completed', async () => {
      const { instance } = await startFailing();
      const incident = await openIncident(instance.id);
      await engine().resolveIncident(incident.id, { resolution_type: 'skip' });
      expect(await tasksOf(instance.id)).toEqual(['after']);
      const details = await engine().getInstance(instance.id);
      expect(details.activities.find((a) => a.activity_id === 'call')?.status).toBe('completed');
      expect(details.variables.status).toBeUndefined();
      expect((await engine().listJobs({ process_instance_id: instance.id })).total).toBe(0);
      expect(await engine().getIncident(incident.id)).toMatchObject({ status: 'resolved', resolution: { resolution_type: 'skip' } });
    });

    it('manual marks the incident resolved and leaves the job failed where it is', async () => {
      const { instance, path } = await startFailing();
      const incident = await openIncident(instance.id);
      await engine().resolveIncident(incident.id, { resolution_type: 'manual', resolution_message: 'fixed by hand' });
      expect(await engine().getIncident(incident.id)).toMatchObject({ status: 'resolved', resolution: { resolution_type: 'manual', resolution_message: 'fixed by hand' } });
      const { data: [job] } = await engine().listJobs({ process_instance_id: instance.id });
      expect(job).toMatchObject({ activity_id: 'call', retries: 0 });
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(service.receivedOn(path)).toHaveLength(3);
      const details = await engine().getInstance(instance.id);
      expect(details.status).toBe('active');
      expect(details.current_activities.map((a) => a.activity_id)).toEqual(['call']);
    });

    it('abort terminates the instance', async () => {
      const { instance } = await startFailing();
      const incident = await openIncident(instance.id);
      await engine().resolveIncident(incident.id, { resolution_type: 'abort' });
      const details = await engine().getInstance(instance.id);
      expect(details.status).toBe('externally_terminated');
      expect((await engine().listJobs({ process_instance_id: instance.id })).total).toBe(0);
      expect(await engine().getIncident(incident.id)).toMatchObject({ status: 'resolved', resolution: { resolution_type: 'abort' } });
    });

    it('setJobRetries from 0 resolves the incident and runs the job again, that many times', async () => {
      const { instance, path } = await startFailing();
      const incident = await openIncident(instance.id);
      const { data: [job] } = await engine().listJobs({ process_instance_id: instance.id });

      const updated = await engine().setJobRetries(job!.id, 2);
      expect(updated.id).toBe(job!.id);
      expect((await engine().getIncident(incident.id)).status).toBe('resolved');
      await waitFor(async () => service.receivedOn(path).length === 5 && (await engine().listIncidents({ process_instance_id: instance.id, status: 'open' })).total === 1,
        15_000, 'two more attempts and a new incident');
      expect((await engine().getJob(job!.id)).retries).toBe(0);

      failing.delete(path);
      await engine().setJobRetries(job!.id, 1);
      await waitFor(async () => (await tasksOf(instance.id)).includes('after'), 15_000, 'the instance to move on');
      expect(service.receivedOn(path)).toHaveLength(6);
      expect((await engine().listIncidents({ process_instance_id: instance.id, status: 'open' })).total).toBe(0);
    });

    it('executeJob runs a failed job once more: failing, it answers CONFLICT with the error and keeps its one incident; succeeding, the incident is resolved', async () => {
      const { instance, path } = await startFailing();
      const incident = await openIncident(instance.id);
      const { data: [job] } = await engine().listJobs({ process_instance_id: instance.id });

      await expect(engine().executeJob(job!.id)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('500') });
      expect(service.receivedOn(path)).toHaveLength(4);
      expect((await engine().listIncidents({ process_instance_id: instance.id, status: 'open' })).data.map((i) => i.id)).toEqual([incident.id]);
      expect(await engine().getJob(job!.id)).toMatchObject({ retries: 0 });

      failing.delete(path);
      await engine().executeJob(job!.id);
      expect(await tasksOf(instance.id)).toEqual(['after']);
      expect(await engine().getIncident(incident.id)).toMatchObject({ status: 'resolved', resolution: { resolution_type: 'automatic' } });
      await expect(engine().getJob(job!.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    });

    it('camunda:failedJobRetryTimeCycle R2/PT0.1S gives two attempts, 0.1 s apart at least', async () => {
      const { instance, path } = await startFailing('retry_cycle_call');
      const incident = await openIncident(instance.id);
      expect(incident.incident_type).toBe('failedJob');
      const attempts = service.receivedOn(path).map((r) => r.at);
      expect(attempts).toHaveLength(2);
      expect(attempts[1]! - attempts[0]!).toBeGreaterThanOrEqual(100);

      // retry restores the model's two retries
      await engine().resolveIncident(incident.id, { resolution_type: 'retry' });
      await waitFor(async () => service.receivedOn(path).length === 4
        && (await engine().listIncidents({ process_instance_id: instance.id, status: 'open' })).total === 1, 15_000, 'two more attempts');
    });
  });

  describe('calls end to end', () => {
    it('Camunda 7 http-connector: posts the payload built from variables with its headers, and maps ${response} and ${statusCode}', async () => {
      const instance = await engine().startInstance({
        process_definition_key: 'c7_order',
        variables: { url: { value: service.url('/orders/c7') }, orderId: { value: 7 }, customer: { value: 'ACME' } },
      });
      const done = await waitFor(async () => {
        const details = await engine().getInstance(instance.id);
        return details.status === 'completed' ? details : undefined;
      }, 15_000, 'the call');
      const [request] = service.receivedOn('/orders/c7');
      expect(request).toMatchObject({ method: 'POST' });
      expect(request!.headers['content-type']).toBe('application/json');
      expect(request!.headers['x-customer']).toBe('ACME');
      expect(JSON.parse(request!.body)).toEqual({ orderId: 7, customer: 'ACME' });
      expect(done.variables.created?.value).toEqual({ number: 42 });
      expect(done.variables.createdStatus?.value).toBe(201);
      expect(service.receivedOn('/orders/c7')).toHaveLength(1);
    });

    it('Camunda 8 REST connector: sends method, query, headers and JSON body, and maps resultVariable and resultExpression', async () => {
      const instance = await engine().startInstance({
        process_definition_key: 'c8_order',
        variables: { url: { value: service.url('/orders/c8') }, orderId: { value: 8 }, customer: { value: 'Umbrella' }, items: { value: ['book', 'pen'] } },
      });
      const done = await waitFor(async () => {
        const details = await engine().getInstance(instance.id);
        return details.status === 'completed' ? details : undefined;
      }, 15_000, 'the call');
      const [request] = service.receivedOn('/orders/c8');
      expect(request).toMatchObject({ method: 'PUT', url: '/orders/c8?source=c8' });
      expect(request!.headers['content-type']).toBe('application/json');
      expect(request!.headers['x-customer']).toBe('Umbrella');
      expect(JSON.parse(request!.body)).toEqual({ id: 8, items: ['book', 'pen'] });
      expect(done.variables.httpResult?.value).toMatchObject({ status: 201, body: { number: 42 }, headers: { 'content-type': 'application/json' } });
      expect(done.variables.orderNumber?.value).toBe(42);
      expect(done.variables.accepted?.value).toBe(false);
    });
  });
});
