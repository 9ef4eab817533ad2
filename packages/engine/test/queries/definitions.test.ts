import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DefinitionQuery } from '../../src/api/engine.js';
import { EngineError } from '../../src/errors.js';
import { compileDefinitions } from '../../src/model/index.js';
import { getDefinition, listDefinitions } from '../../src/queries/definitions.js';
import { testBackends } from '../../src/testing/index.js';
import { newId } from '../../src/util/ids.js';
import { openQueryDatabase, type QueryDatabase } from './query-database.js';
import * as seed from './seed-rows.js';

/** start → review (a user task for the sales group) → end, with a start form */
const ORDER_XML = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:camunda="http://camunda.org/schema/1.0/bpmn"
    id="defs" targetNamespace="http://example.com/order">
  <bpmn:process id="order" name="Order" isExecutable="true">
    <bpmn:startEvent id="start" camunda:formKey="order-form">
      <bpmn:extensionElements>
        <camunda:formData><camunda:formField id="amount" label="Amount" type="long"><camunda:validation>
          <camunda:constraint name="required" /></camunda:validation></camunda:formField></camunda:formData>
      </bpmn:extensionElements>
    </bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="review" />
    <bpmn:userTask id="review" name="Review" camunda:candidateGroups="sales" camunda:formKey="review-form" />
    <bpmn:sequenceFlow id="f2" sourceRef="review" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

describe.each(testBackends())('definition queries on %s', (backend) => {
  let qdb: QueryDatabase;
  const d = { order1: '', order2: '', tenantOrder: '', invoice: '', ship: '' };

  beforeAll(async () => {
    const [model] = (await compileDefinitions(ORDER_XML)).processes;
    qdb = await openQueryDatabase(backend, 'definitions', async () => model!);
    const { db } = qdb.ctx;
    const order1 = await seed.definition(db, { key: 'order', name: 'Order', version: 1 });
    const order2 = await seed.definition(db, { key: 'order', name: 'Order', version: 2, description: 'second cut', bpmn_xml: ORDER_XML });
    const tenantOrder = await seed.definition(db, { key: 'order', name: 'Order', version: 1, tenant_id: 't1' });
    const invoice = await seed.definition(db, { key: 'invoice', name: 'Invoice', category: 'finance', suspended: true });
    const ship = await seed.definition(db, { key: 'ship', name: 'Ship 100% of orders' });
    await seed.instance(db, order2);
    await seed.instance(db, order2);
    await seed.instance(db, order1);
    Object.assign(d, { order1: order1.id, order2: order2.id, tenantOrder: tenantOrder.id, invoice: invoice.id, ship: ship.id });
  });
  afterAll(() => qdb?.close());

  const idsOf = async (query: DefinitionQuery) => (await listDefinitions(qdb.ctx, query)).data.map((def) => def.id);

  it('lists by key, newest version first, without the XML', async () => {
    const page = await listDefinitions(qdb.ctx);
    expect(page.total).toBe(5);
    expect(page.data.map((def) => [def.key, def.version])).toEqual([['invoice', 1], ['order', 2], ['order', 1], ['order', 1], ['ship', 1]]);
    for (const def of page.data) expect(def).not.toHaveProperty('bpmn_xml');
  });

  it('counts the instances of each definition and maps rows to the wire', async () => {
    const { data } = await listDefinitions(qdb.ctx, { key: 'order' });
    expect(Object.fromEntries(data.map((def) => [def.id, def.instances]))).toEqual({ [d.order2]: 2, [d.order1]: 1, [d.tenantOrder]: 0 });
    expect(data[0]).toEqual({
      id: d.order2, key: 'order', name: 'Order', version: 2, category: '', description: 'second cut', deployment_id: expect.any(String),
      deployed_at: seed.at(-10_000).toISOString(), deployed_by: 'deployer', active: true, suspended: false, instances: 2,
    });
    expect(data.find((def) => def.id === d.tenantOrder)).toMatchObject({ tenant_id: 't1' });
  });

  it('keeps only the newest version per key and tenant when asked', async () => {
    expect((await idsOf({ latest: true })).sort()).toEqual([d.invoice, d.order2, d.tenantOrder, d.ship].sort());
    expect(await idsOf({ latest: true, key: 'order', tenant_id: 't1' })).toEqual([d.tenantOrder]);
  });

  it('narrows by category, suspension, tenant and name', async () => {
    expect(await idsOf({ category: 'finance' })).toEqual([d.invoice]);
    expect(await idsOf({ suspended: true })).toEqual([d.invoice]);
    expect((await idsOf({ suspended: false })).length).toBe(4);
    expect(await idsOf({ tenant_id: 't1' })).toEqual([d.tenantOrder]);
    expect(await idsOf({ name: 'ORDERS' })).toEqual([d.ship]);
    expect(await idsOf({ name: '%' })).toEqual([d.ship]);
  });

  it('sorts on request and pages', async () => {
    const page = await listDefinitions(qdb.ctx, { sort: '-version', limit: 2, offset: 0 });
    expect(page.total).toBe(5);
    expect(page.data[0]!.id).toBe(d.order2);
    expect(page.data).toHaveLength(2);
  });

  it('details one definition with its XML, tasks and start form', async () => {
    const def = await getDefinition(qdb.ctx, d.order2);
    expect(def).toMatchObject({ id: d.order2, version: 2, bpmn_xml: ORDER_XML, instances: 2 });
    expect(def.tasks).toEqual([{ id: 'review', name: 'Review', type: 'userTask', candidate_groups: ['sales'], form_key: 'review-form' }]);
    expect(def.start_form).toMatchObject({ key: 'order-form', fields: [{ id: 'amount', label: 'Amount', required: true }] });
    expect(def).not.toHaveProperty('diagram');
  });

  it('answers NOT_FOUND for unknown ids', async () => {
    for (const id of [newId(), 'order:1']) {
      await expect(getDefinition(qdb.ctx, id)).rejects.toSatisfy((e) => e instanceof EngineError && e.code === 'NOT_FOUND');
    }
  });
});
