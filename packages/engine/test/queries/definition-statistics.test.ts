import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EngineError } from '../../src/errors.js';
import { activityStatistics, definitionStatistics } from '../../src/queries/definition-statistics.js';
import { testBackends } from '../../src/testing/index.js';
import { newId } from '../../src/util/ids.js';
import { openQueryDatabase, type QueryDatabase } from './query-database.js';
import * as seed from './seed-rows.js';

describe.each(testBackends())('definition and activity statistics on %s', (backend) => {
  let qdb: QueryDatabase;
  const d = { v1: '', v2: '', idle: '', acme: '' };

  beforeAll(async () => {
    qdb = await openQueryDatabase(backend, 'definition-statistics');
    const { db } = qdb.ctx;
    const v1 = await seed.definition(db, { key: 'order', version: 1 });
    const v2 = await seed.definition(db, { key: 'order', version: 2 });
    const idle = await seed.definition(db, { key: 'idle' });
    const acme = await seed.definition(db, { key: 'order', version: 1, tenant_id: 'acme' });
    Object.assign(d, { v1: v1.id, v2: v2.id, idle: idle.id, acme: acme.id });

    // v1: two instances waiting at review, one of them suspended; one ended instance that counts for nothing
    for (const over of [{}, { status: 'suspended' }]) {
      const inst = await seed.instance(db, v1, over);
      await seed.activity(db, inst, { seq: 1, activity_id: 'review', status: 'active' });
    }
    const ended = await seed.endedInstance(db, v1, seed.at(-100), 5);
    await seed.activity(db, ended, { seq: 1, activity_id: 'review', end_time: seed.at(-95) });

    // v2: one at a failed job inside a sub-process, one with two incidents at the gateway (one caused by the other), one resolved
    const failing = await seed.instance(db, v2, { started_by: 'bob' });
    const sub = await seed.activity(db, failing, { seq: 1, activity_id: 'sub', activity_type: 'subProcess', status: 'active' });
    await seed.activity(db, failing, { seq: 2, activity_id: 'charge', activity_type: 'serviceTask', status: 'active', parent_activity_instance_id: sub.id });
    await seed.activity(db, failing, { seq: 3, activity_id: 'prepare', activity_type: 'serviceTask', parent_activity_instance_id: sub.id, end_time: seed.at(-50) });
    const job = await seed.job(db, failing, { activity_id: 'charge', retries: 0, type: 'service', handler: 'service' });
    await seed.job(db, failing, { activity_id: 'remind', retries: 2 });
    await seed.incident(db, failing, { incident_type: 'failedJob', activity_id: 'charge', configuration: job.id });
    const stuck = await seed.instance(db, v2);
    await seed.activity(db, stuck, { seq: 1, activity_id: 'route', activity_type: 'exclusiveGateway', status: 'active' });
    const root = await seed.incident(db, stuck, { incident_type: 'conditionError', activity_id: 'route' });
    await seed.incident(db, stuck, { incident_type: 'failedExternalTask', activity_id: 'route', cause_incident_id: root.id, root_cause_incident_id: root.id });
    await seed.incident(db, stuck, { incident_type: 'conditionError', activity_id: 'route', status: 'resolved' });

    const tenants = await seed.instance(db, acme);
    await seed.activity(db, tenants, { seq: 1, activity_id: 'review', status: 'active' });
  });
  afterAll(() => qdb?.close());

  const byDefinition = async (options = {}, ctx = qdb.ctx) =>
    Object.fromEntries((await definitionStatistics(ctx, options)).map((s) => [s.definition.id, { instances: s.instances, failed_jobs: s.failed_jobs, incidents: s.incidents }]));

  it('counts the running instances of every version, idle ones too, and no failures unless asked', async () => {
    const all = await definitionStatistics(qdb.ctx);
    expect(all.map((s) => s.definition.id)).toEqual([d.v1, d.v2, d.idle, d.acme].sort());
    expect(all.find((s) => s.definition.id === d.v2)?.definition).toMatchObject({ key: 'order', version: 2 });
    expect(await byDefinition()).toEqual({
      [d.v1]: { instances: 2, failed_jobs: 0, incidents: [] },
      [d.v2]: { instances: 2, failed_jobs: 0, incidents: [] },
      [d.idle]: { instances: 0, failed_jobs: 0, incidents: [] },
      [d.acme]: { instances: 1, failed_jobs: 0, incidents: [] },
    });
  });

  it('counts failed jobs and open incidents by type, of one type, or only root causes', async () => {
    const counted = await byDefinition({ failed_jobs: true, incidents: true });
    expect(counted[d.v1]).toEqual({ instances: 2, failed_jobs: 0, incidents: [] });
    expect(counted[d.v2]).toEqual({
      instances: 2, failed_jobs: 1,
      incidents: [{ incident_type: 'conditionError', count: 1 }, { incident_type: 'failedExternalTask', count: 1 }, { incident_type: 'failedJob', count: 1 }],
    });
    expect((await byDefinition({ incident_type: 'failedJob' }))[d.v2]).toEqual({ instances: 2, failed_jobs: 0, incidents: [{ incident_type: 'failedJob', count: 1 }] });
    expect((await byDefinition({ root_incidents: true }))[d.v2]?.incidents).toEqual([{ incident_type: 'conditionError', count: 1 }, { incident_type: 'failedJob', count: 1 }]);
  });

  it('counts per activity only the innermost open activity instances, and the failures there when asked', async () => {
    expect(await activityStatistics(qdb.ctx, d.v1)).toEqual([{ activity_id: 'review', instances: 2, failed_jobs: 0, incidents: [] }]);
    expect(await activityStatistics(qdb.ctx, d.v2)).toEqual([
      { activity_id: 'charge', instances: 1, failed_jobs: 0, incidents: [] },
      { activity_id: 'route', instances: 1, failed_jobs: 0, incidents: [] },
    ]);
    expect(await activityStatistics(qdb.ctx, d.v2, { failed_jobs: true, incident_type: 'conditionError' })).toEqual([
      { activity_id: 'charge', instances: 1, failed_jobs: 1, incidents: [] },
      { activity_id: 'route', instances: 1, failed_jobs: 0, incidents: [{ incident_type: 'conditionError', count: 1 }] },
    ]);
    expect(await activityStatistics(qdb.ctx, d.idle, { failed_jobs: true, incidents: true })).toEqual([]);
  });

  it('counts only what the caller sees, and does not find a version of another tenant', async () => {
    const operator = { ...qdb.ctx, caller: { user_id: 'op', groups: [], roles: ['operator'], tenant_ids: [] } };
    expect(Object.keys(await byDefinition({}, operator)).sort()).toEqual([d.v1, d.v2, d.idle].sort());
    await expect(activityStatistics(operator, d.acme)).rejects.toSatisfy((e) => e instanceof EngineError && e.code === 'NOT_FOUND');
    // a plain user counts only the instances it started, and the failures of those
    const bob = { ...qdb.ctx, caller: { user_id: 'bob', groups: [], roles: [], tenant_ids: [] } };
    expect((await byDefinition({ failed_jobs: true, incidents: true }, bob))[d.v2]).toEqual({ instances: 1, failed_jobs: 1, incidents: [{ incident_type: 'failedJob', count: 1 }] });
    expect(await activityStatistics(bob, d.v1)).toEqual([]);
  });

  it('does not find an unknown version', async () => {
    await expect(activityStatistics(qdb.ctx, newId())).rejects.toSatisfy((e) => e instanceof EngineError && e.code === 'NOT_FOUND');
  });
});
