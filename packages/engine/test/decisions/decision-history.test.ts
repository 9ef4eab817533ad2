// The decision history: every evaluation at history level full leaves what its decisions saw and gave (the
// inputs' values, the rules behind the result and their outputs), by a business rule task or through the
// API; required decisions name the one asked for; protected values are masked; the rows go with their
// instance, or at their removal time; only callers who read all work, of their tenants, read them.
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { isEngineError, type Caller, type DecisionInstance, type Engine, type EngineOptions } from '../../src/index.js';
import { createTestDatabase, testBackends, type TestDatabase } from '../../src/testing/index.js';
import { clockAt, completeTasks, DAY_MS, openEngine } from '../retention/support.js';
import { beverages, dish, dmn } from '../support/dmn.js';
import { camunda, flow } from '../support/job-engines.js';

const T0 = new Date('2026-05-01T08:00:00.000Z');

/** start → business rule task `decide` (decision `ref`) → user task `serve` */
const deciding = (key: string, ref: string) => camunda(key, `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'decide')}
    <bpmn:businessRuleTask id="decide" camunda:decisionRef="${ref}" camunda:resultVariable="out" />${flow('f2', 'decide', 'serve')}
    <bpmn:userTask id="serve" />`);

/** a COLLECT SUM table: the discounts of every rule that matches the amount */
const discounts = dmn('discount_file', {
  id: 'discount', hitPolicy: 'COLLECT', aggregation: 'SUM',
  inputs: [['Amount', 'amount', 'integer']], outputs: [['discount', 'integer']],
  rules: [['> 100', '5'], ['> 1000', '10'], ['< 0', '99']],
});

const caller = (user_id: string, more: Partial<Caller> = {}): Caller => ({ user_id, groups: [], roles: ['analyst'], tenant_ids: [], ...more });

describe.each(testBackends())('the decision history on %s', (backend) => {
  let database: TestDatabase | undefined;
  let engine: Engine | undefined;
  afterEach(async () => {
    await engine?.close();
    await database?.drop();
    engine = undefined;
  });
  const open = async (label: string, options: EngineOptions = {}) => {
    database = await createTestDatabase(backend, `decision-history/${label}`);
    const clock = clockAt(T0);
    engine = await openEngine(database, clock, options);
    await engine.deployDecisions({ dmn_xml: dmn('menu', dish(), beverages) });
    await engine.deployDecisions({ dmn_xml: discounts });
    for (const [key, ref] of [['drinks', 'beverages'], ['discounting', 'discount']]) await engine.deploy({ bpmn_xml: deciding(key, ref) });
    return { engine, clock };
  };

  it("keeps a business rule task's evaluation with the decisions it required, each with its inputs and the rules that gave its result", async () => {
    const { engine } = await open('task');
    const started = await engine.startInstance({
      process_definition_key: 'drinks', variables: { season: { value: 'Spring' }, guestCount: { value: 6 }, guestsWithChildren: { value: true } },
    });
    const { data, total } = await engine.listDecisionInstances({ process_instance_id: started.id });
    expect(total).toBe(2);
    const asked = data.find((d) => d.decision_key === 'beverages')!;
    const required = data.find((d) => d.decision_key === 'dish')!;
    const [beveragesDefinition, dishDefinition] = await Promise.all(['beverages', 'dish'].map(async (key) => (await engine.listDecisions({ key })).data[0]!));
    expect(asked).toMatchObject({
      decision_id: beveragesDefinition!.id, version: 1, process_instance_id: started.id, process_definition_key: 'drinks', activity_id: 'decide',
      inputs: [
        { input_id: 'in_beverages_0', label: 'Dish', value: 'Steak', type: 'String' },
        { input_id: 'in_beverages_1', label: 'Guests with children', value: true, type: 'Boolean' },
      ],
      outputs: [
        { rule_id: 'rule_beverages_3', rule_order: 4, output_id: 'out_beverages_0', name: 'beverages', value: 'Pinot Noir' },
        { rule_id: 'rule_beverages_4', rule_order: 5, output_id: 'out_beverages_0', name: 'beverages', value: 'Apple Juice' },
      ],
    });
    expect(asked.root_decision_instance_id).toBeUndefined();
    expect(asked.activity_instance_id).toBe((await engine.getInstance(started.id)).activities?.find((a) => a.activity_id === 'decide')?.id);
    expect(required).toMatchObject({
      decision_id: dishDefinition!.id, root_decision_instance_id: asked.id, activity_id: 'decide',
      inputs: [{ label: 'Season', value: 'Spring' }, { label: 'How many guests', value: 6 }],
      outputs: [{ rule_id: 'rule_dish_3', rule_order: 4, name: 'dish', value: 'Steak' }],
    });
    expect(await engine.getDecisionInstance(asked.id)).toEqual(asked);
    expect((await engine.listDecisionInstances({ process_instance_id: started.id, root_only: true })).data.map((d) => d.id)).toEqual([asked.id]);
    expect((await engine.listDecisionInstances({ root_decision_instance_id: asked.id })).data.map((d) => d.id)).toEqual([required.id]);
    expect((await engine.listDecisionInstances({ decision_key: 'dish' })).data.map((d) => d.id)).toEqual([required.id]);
  });

  it('keeps nothing of an evaluation that failed, and the evaluation of its retry', async () => {
    const { engine } = await open('failed');
    const started = await engine.startInstance({ process_definition_key: 'drinks', variables: { season: { value: 'Spring' } } });
    const [incident] = (await engine.listIncidents({ process_instance_id: started.id })).data;
    expect((await engine.listDecisionInstances({ process_instance_id: started.id })).total).toBe(0);
    await engine.resolveIncident(incident!.id, { resolution_type: 'retry', variables: { guestCount: { value: 2 }, guestsWithChildren: { value: false } } });
    const kept = (await engine.listDecisionInstances({ process_instance_id: started.id, root_only: true })).data;
    expect(kept.map((d) => d.outputs.map((o) => o.value))).toEqual([['Pinot Noir']]);
  });

  it('keeps an evaluation through the API with who made it and its removal time, and the cleanup removes it then', async () => {
    const { engine, clock } = await open('api', { retention: { historyTimeToLiveDays: 3 } });
    const evaluated = await engine.as(caller('ana')).evaluateDecision({ decision_key: 'discount', variables: { amount: { value: 5000 } } });
    expect(evaluated.result).toEqual([{ discount: 15 }]);
    const kept = await engine.getDecisionInstance(evaluated.decision_instance_id!);
    expect(kept).toMatchObject({
      decision_key: 'discount', user_id: 'ana', evaluated_at: T0.toISOString(), removal_time: new Date(T0.getTime() + 3 * DAY_MS).toISOString(),
      inputs: [{ label: 'Amount', value: 5000, type: 'Integer' }], collect_result_value: 15,
      outputs: [{ rule_order: 1, name: 'discount', value: 5 }, { rule_order: 2, name: 'discount', value: 10 }],
    });
    expect(kept.process_instance_id).toBeUndefined();
    const none = await engine.evaluateDecision({ decision_key: 'discount', variables: { amount: { value: 1 } } });
    expect((await engine.getDecisionInstance(none.decision_instance_id!)).collect_result_value).toBeNull();

    clock.advance(2);
    expect(await engine.removeExpiredHistory()).toEqual({ removed: 0, decision_instances_removed: 0, batches: 0 });
    clock.advance(2);
    expect(await engine.removeExpiredHistory({ batchSize: 1 })).toEqual({ removed: 0, decision_instances_removed: 2, batches: 2 });
    await expect(engine.getDecisionInstance(kept.id)).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it("goes with its instance's history", async () => {
    const { engine } = await open('erased');
    const started = await engine.startInstance({ process_definition_key: 'discounting', variables: { amount: { value: 200 } } });
    expect((await engine.listDecisionInstances({ process_instance_id: started.id })).data[0]?.removal_time).toBeUndefined();
    await completeTasks(engine, started.id);
    await engine.eraseInstanceHistory(started.id);
    expect((await engine.listDecisionInstances({ process_instance_id: started.id })).total).toBe(0);
  });

  it('masks the values that hold a protected variable', async () => {
    const { engine } = await open('protected', {
      variableProtection: { keys: [{ id: 'k1', key: randomBytes(32).toString('base64') }], protectedVariables: ['amount'] },
    });
    const started = await engine.startInstance({ process_definition_key: 'discounting', variables: { amount: { value: 4321 } } });
    const [kept] = (await engine.listDecisionInstances({ process_instance_id: started.id })).data;
    expect(kept!.inputs).toEqual([{ input_id: 'in_discount_0', label: 'Amount', value: '***', type: 'String' }]);
    expect(kept!.collect_result_value).toBe(15);
    const evaluated = await engine.evaluateDecision({ decision_key: 'discount', variables: { amount: { value: 4321 } } });
    expect((await engine.getDecisionInstance(evaluated.decision_instance_id!)).inputs[0]!.value).toBe('***');
  });

  it('keeps nothing below history level full', async () => {
    const { engine } = await open('audit', { historyLevel: 'audit' });
    const started = await engine.startInstance({ process_definition_key: 'discounting', variables: { amount: { value: 200 } } });
    expect((await engine.getInstance(started.id)).variables.out?.value).toEqual([{ discount: 5 }]);
    const evaluated = await engine.evaluateDecision({ decision_key: 'discount', variables: { amount: { value: 200 } } });
    expect(evaluated.decision_instance_id).toBeUndefined();
    expect((await engine.listDecisionInstances()).total).toBe(0);
  });

  it('is read by callers who read all work, within their tenants', async () => {
    const { engine } = await open('callers');
    await engine.deployDecisions({ dmn_xml: discounts, tenant_id: 'acme' });
    const ours = await engine.evaluateDecision({ decision_key: 'discount', variables: { amount: { value: 200 } } });
    const acmes = await engine.evaluateDecision({ decision_key: 'discount', tenant_id: 'acme', variables: { amount: { value: 200 } } });
    const ids = (page: { data: DecisionInstance[] }) => page.data.map((d) => d.id).sort();
    expect(ids(await engine.as(caller('ana')).listDecisionInstances())).toEqual([ours.decision_instance_id]);
    expect(ids(await engine.as(caller('ana', { tenant_ids: ['acme'] })).listDecisionInstances())).toEqual([acmes.decision_instance_id, ours.decision_instance_id].sort());
    await expect(engine.as(caller('ana')).getDecisionInstance(acmes.decision_instance_id!)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    const plain = engine.as(caller('bob', { roles: [] }));
    const refused = await plain.listDecisionInstances().catch((e: unknown) => e);
    expect(isEngineError(refused) && refused.code).toBe('FORBIDDEN');
    await expect(plain.getDecisionInstance(ours.decision_instance_id!)).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(engine.listDecisionInstances({ evaluated_after: 'yesterday' })).rejects.toMatchObject({ code: 'VALIDATION_ERROR' });
  });
});
