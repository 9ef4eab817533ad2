// Camunda 7's process definition statistics at /engine-rest, read over HTTP as a monitoring dashboard and
// the overlays of a diagram read them: two versions of a process with instances at different activities,
// one of them at a job that failed for good (and so holds a failedJob incident).
import { testBackends } from '@dadms/process-engine/testing';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { httpCallModel, userTaskModel } from './models.js';
import { call, expectContractKept, startTestApp, UNKNOWN_ID, type TestApp } from './support.js';

interface Answer {
  status: number;
  body: any;
}

const DTO = 'org.camunda.bpm.engine.rest.dto.repository';

describe.each(testBackends())('the Camunda 7 process definition statistics on %s', (backend) => {
  let t: TestApp;
  let baseUrl = '';
  const v = { first: '', second: '' };

  async function rest(path: string): Promise<Answer> {
    const res = await fetch(`${baseUrl}${path}`);
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  }
  const deploy = async (bpmn_xml: string): Promise<string> => {
    const res = await call(t.app, 'POST', '/definitions', { bpmn_xml });
    expect(res.statusCode).toBe(201);
    return res.json().definitions[0].id;
  };
  const start = async (key: string): Promise<string> => {
    const res = await call(t.app, 'POST', '/instances', { process_definition_key: key });
    expect(res.statusCode).toBe(201);
    return res.json().id;
  };

  beforeAll(async () => {
    // the job runs by hand here, never by the executor
    t = await startTestApp(backend, 'engine-rest-statistics', { jobs: { run: false } });
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    baseUrl = `http://127.0.0.1:${(t.app.server.address() as AddressInfo).port}/engine-rest`;
    v.first = await deploy(userTaskModel('st_order'));
    await start('st_order');
    await start('st_order');
    v.second = await deploy(httpCallModel('st_order', 'http://127.0.0.1:9/refused', { method: 'GET' }));
    const failing = await start('st_order');
    await start('st_order');
    const [job] = (await rest(`/job?processInstanceId=${failing}`)).body;
    expect((await call(t.app, 'PUT', `/jobs/${job.id}/retries`, { retries: 1 })).statusCode).toBe(200);
    expect((await call(t.app, 'POST', `/jobs/${job.id}/execute`)).statusCode).toBeGreaterThanOrEqual(400);
    expect((await rest(`/job/${job.id}`)).body.retries).toBe(0);
  });
  afterAll(() => t?.close());
  afterEach(() => expectContractKept(t));

  const ofVersion = (answer: Answer, id: string) => (answer.body as { id: string }[]).find((s) => s.id === id);

  it('counts the running instances of each version, and its failed jobs and incidents only when asked', async () => {
    const plain = await rest('/process-definition/statistics');
    expect(plain.status).toBe(200);
    expect(ofVersion(plain, v.first)).toEqual({
      '@class': `${DTO}.ProcessDefinitionStatisticsResultDto`, id: v.first, instances: 2, failedJobs: 0, incidents: [],
      definition: expect.objectContaining({ id: v.first, key: 'st_order', version: 1, tenantId: null, suspended: false }),
    });
    expect(ofVersion(plain, v.second)).toMatchObject({ instances: 2, failedJobs: 0, incidents: [], definition: { version: 2 } });

    const counted = await rest('/process-definition/statistics?failedJobs=true&incidents=true');
    expect(ofVersion(counted, v.first)).toMatchObject({ instances: 2, failedJobs: 0, incidents: [] });
    expect(ofVersion(counted, v.second)).toMatchObject({ instances: 2, failedJobs: 1, incidents: [{ incidentType: 'failedJob', incidentCount: 1 }] });
    expect(ofVersion(await rest('/process-definition/statistics?incidentsForType=failedExternalTask'), v.second)).toMatchObject({ incidents: [] });
    expect(ofVersion(await rest('/process-definition/statistics?rootIncidents=true'), v.second))
      .toMatchObject({ failedJobs: 0, incidents: [{ incidentType: 'failedJob', incidentCount: 1 }] });
    expect(await rest('/process-definition/statistics?incidents=true&rootIncidents=true')).toEqual({
      status: 400, body: { type: 'InvalidRequestException', message: 'Only one of the query parameter incidents or rootIncidents can be set.' },
    });
  });

  it('counts per activity of a version by id and by key, with its failures when asked', async () => {
    const first = await rest(`/process-definition/${v.first}/statistics?failedJobs=true&incidents=true`);
    expect(first).toEqual({ status: 200, body: [{ '@class': `${DTO}.ActivityStatisticsResultDto`, id: 'approve', instances: 2, failedJobs: 0, incidents: [] }] });
    expect((await rest(`/process-definition/${v.second}/statistics`)).body).toEqual([
      { '@class': `${DTO}.ActivityStatisticsResultDto`, id: 'call', instances: 2, failedJobs: 0, incidents: [] },
    ]);
    const latest = await rest('/process-definition/key/st_order/statistics?failedJobs=true&incidentsForType=failedJob');
    expect(latest.body).toEqual([
      { '@class': `${DTO}.ActivityStatisticsResultDto`, id: 'call', instances: 2, failedJobs: 1, incidents: [{ incidentType: 'failedJob', incidentCount: 1 }] },
    ]);
    expect((await rest('/process-definition/key/st_order/tenant-id/acme/statistics')).status).toBe(404);
    expect(await rest(`/process-definition/${v.first}/statistics?incidents=true&incidentsForType=failedJob`)).toMatchObject({ status: 400 });
  });

  it('answers 404 for an unknown key, and no activities for an unknown id, as Camunda does', async () => {
    expect(await rest('/process-definition/key/st_unknown/statistics')).toEqual({
      status: 404, body: { type: 'InvalidRequestException', message: 'No matching process definition with key: st_unknown and no tenant-id' },
    });
    expect(await rest(`/process-definition/${UNKNOWN_ID}/statistics`)).toEqual({ status: 200, body: [] });
  });
});
