import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentQuery } from '../../src/api/engine.js';
import { EngineError } from '../../src/errors.js';
import { getIncident, listIncidents } from '../../src/queries/incidents.js';
import { testBackends } from '../../src/testing/index.js';
import { newId } from '../../src/util/ids.js';
import { openQueryDatabase, type QueryDatabase } from './query-database.js';
import * as seed from './seed-rows.js';

describe.each(testBackends())('incident queries on %s', (backend) => {
  let qdb: QueryDatabase;
  const i = { failed: '', fixed: '', external: '', order: '', invoice: '', first: '' };

  beforeAll(async () => {
    qdb = await openQueryDatabase(backend, 'incidents');
    const { db } = qdb.ctx;
    const order = await seed.definition(db, { key: 'order' });
    const invoice = await seed.definition(db, { key: 'invoice' });
    const first = await seed.instance(db, order);
    const other = await seed.instance(db, invoice);
    const failed = await seed.incident(db, first, {
      incident_type: 'failedJob', activity_id: 'charge', activity_name: 'Charge card', configuration: 'job-1', incident_timestamp: seed.at(-30),
      execution_id: 'token-1', annotation: 'card provider down',
    });
    await seed.incidentHistory(db, failed.id, { action: 'created', message: 'retries exhausted', user_id: 'system', details: '{"retries":0}', timestamp: seed.at(-30) });
    const fixed = await seed.incident(db, first, {
      incident_type: 'conditionError', activity_id: 'route', incident_timestamp: seed.at(-20), status: 'resolved',
      resolved_at: seed.at(-5), resolved_by: 'ops', resolution_type: 'retry', resolution_message: 'amount fixed',
    });
    // inserted out of order: the history is ordered by time, not by insertion
    await seed.incidentHistory(db, fixed.id, { action: 'resolved', message: 'amount fixed', user_id: 'ops', timestamp: seed.at(-5) });
    await seed.incidentHistory(db, fixed.id, { action: 'created', message: 'no flow to take', timestamp: seed.at(-20) });
    const external = await seed.incident(db, other, {
      incident_type: 'failedExternalTask', incident_timestamp: seed.at(-10), incident_message: null, tenant_id: 'acme',
      cause_incident_id: failed.id, root_cause_incident_id: failed.id,
    });
    Object.assign(i, { failed: failed.id, fixed: fixed.id, external: external.id, order: order.id, invoice: invoice.id, first: first.id });
  });
  afterAll(() => qdb?.close());

  const idsOf = async (query: IncidentQuery) => (await listIncidents(qdb.ctx, query)).data.map((incident) => incident.id);

  it('lists incidents newest first, each with its history', async () => {
    const page = await listIncidents(qdb.ctx);
    expect(page.total).toBe(3);
    expect(page.data.map((incident) => incident.id)).toEqual([i.external, i.fixed, i.failed]);
    expect(page.data.map((incident) => incident.history.length)).toEqual([0, 2, 1]);
  });

  it('narrows by status, type, instance, definition and activity', async () => {
    expect(await idsOf({ status: 'open' })).toEqual([i.external, i.failed]);
    expect(await idsOf({ status: 'resolved' })).toEqual([i.fixed]);
    expect(await idsOf({ incident_type: 'failedJob' })).toEqual([i.failed]);
    expect(await idsOf({ process_instance_id: i.first, sort: 'created' })).toEqual([i.failed, i.fixed]);
    expect(await idsOf({ process_definition_id: i.invoice })).toEqual([i.external]);
    expect(await idsOf({ activity_id: 'route' })).toEqual([i.fixed]);
  });

  it('narrows by id, message, definition key, execution, cause, configuration, tenant and time', async () => {
    expect(await idsOf({ id: i.fixed })).toEqual([i.fixed]);
    expect(await idsOf({ incident_message: 'boom' })).toEqual([i.fixed, i.failed]);
    expect(await idsOf({ process_definition_key: 'invoice' })).toEqual([i.external]);
    expect(await idsOf({ process_definition_key: 'shipping' })).toEqual([]);
    expect(await idsOf({ execution_id: 'token-1' })).toEqual([i.failed]);
    expect(await idsOf({ configuration: 'job-1' })).toEqual([i.failed]);
    expect(await idsOf({ tenant_id: 'acme' })).toEqual([i.external]);
    // an incident of no other cause is its own cause and root cause
    expect(await idsOf({ cause_incident_id: i.failed })).toEqual([i.external, i.failed]);
    expect(await idsOf({ root_cause_incident_id: i.failed })).toEqual([i.external, i.failed]);
    expect(await idsOf({ cause_incident_id: i.fixed })).toEqual([i.fixed]);
    expect(await idsOf({ root_cause_incident_id: i.external })).toEqual([]);
    expect(await idsOf({ created_after: seed.at(-20).toISOString() })).toEqual([i.external, i.fixed]);
    expect(await idsOf({ created_before: seed.at(-20).toISOString() })).toEqual([i.failed]);
    await expect(listIncidents(qdb.ctx, { created_after: 'yesterday' })).rejects.toSatisfy((e) => e instanceof EngineError && e.code === 'VALIDATION_ERROR');
  });

  it('shows an open incident without a resolution, its history details parsed', async () => {
    const incident = await getIncident(qdb.ctx, i.failed);
    expect(incident).toMatchObject({
      id: i.failed, process_instance_id: i.first, process_definition_id: i.order, incident_type: 'failedJob',
      incident_message: 'boom', activity_id: 'charge', activity_name: 'Charge card', configuration: 'job-1', annotation: 'card provider down',
      created: seed.at(-30).toISOString(), status: 'open',
      history: [{ timestamp: seed.at(-30).toISOString(), action: 'created', message: 'retries exhausted', user: 'system', details: { retries: 0 } }],
    });
    expect(incident).not.toHaveProperty('resolution');
    expect(incident).not.toHaveProperty('tenant_id');
  });

  it('shows the resolution of a resolved incident and its history in time order', async () => {
    const incident = await getIncident(qdb.ctx, i.fixed);
    expect(incident.resolution).toEqual({
      resolved_by: 'ops', resolved_at: seed.at(-5).toISOString(), resolution_type: 'retry', resolution_message: 'amount fixed', corrective_actions: [],
    });
    expect(incident.history.map((h) => h.action)).toEqual(['created', 'resolved']);
    expect(incident.history[0]).not.toHaveProperty('user');
  });

  it('gives an incident without a message an empty one, and one without an annotation none', async () => {
    const incident = await getIncident(qdb.ctx, i.external);
    expect(incident.incident_message).toBe('');
    expect(incident).not.toHaveProperty('annotation');
  });

  it('answers NOT_FOUND for unknown ids', async () => {
    for (const id of [newId(), '42']) {
      await expect(getIncident(qdb.ctx, id)).rejects.toSatisfy((e) => e instanceof EngineError && e.code === 'NOT_FOUND');
    }
  });
});
