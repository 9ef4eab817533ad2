// Business rule tasks evaluating deployed DMN decisions (Camunda 7's camunda:decisionRef, Camunda 8's
// zeebe:calledDecision), and decisions deployed and evaluated through the engine API.
import { describe, expect, it } from 'vitest';
import { isEngineError } from '../../src/index.js';
import { testBackends } from '../../src/testing/index.js';
import { beverages, dish, dmn } from '../support/dmn.js';
import { engineUnderTest } from '../support/engine-under-test.js';
import { camunda, flow, zeebe } from '../support/job-engines.js';

/** start → business rule task `decide` (its attributes or extension) → user task `serve` */
const deciding = (key: string, attributes: string, flavour = camunda, extension = '') => flavour(key, `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'decide')}
    <bpmn:businessRuleTask id="decide" ${attributes}>${extension}</bpmn:businessRuleTask>${flow('f2', 'decide', 'serve')}
    <bpmn:userTask id="serve" />`);

const menu = dmn('menu', dish(), beverages);
const winterForFour = { season: { value: 'Winter' }, guestCount: { value: 4 } };

const models = [
  deciding('single_entry', 'camunda:decisionRef="dish" camunda:resultVariable="meal" camunda:mapDecisionResult="singleEntry"'),
  deciding('single_result', 'camunda:decisionRef="dish" camunda:resultVariable="meal" camunda:mapDecisionResult="singleResult"'),
  deciding('result_list', 'camunda:decisionRef="dish" camunda:resultVariable="meal"'),
  deciding('collect_entries', 'camunda:decisionRef="beverages" camunda:resultVariable="drinks" camunda:mapDecisionResult="collectEntries"'),
  deciding('drinks_single', 'camunda:decisionRef="beverages" camunda:resultVariable="drinks" camunda:mapDecisionResult="singleEntry"'),
  deciding('by_expression', 'camunda:decisionRef="${which}" camunda:resultVariable="meal" camunda:mapDecisionResult="singleEntry"'),
  deciding('zeebe_dish', '', zeebe, '<bpmn:extensionElements><zeebe:calledDecision decisionId="dish" resultVariable="meal" /></bpmn:extensionElements>'),
  deciding('zeebe_drinks', '', zeebe, '<bpmn:extensionElements><zeebe:calledDecision decisionId="beverages" resultVariable="drinks" /></bpmn:extensionElements>'),
  deciding('missing', 'camunda:decisionRef="later" camunda:resultVariable="answer" camunda:mapDecisionResult="singleEntry"'),
  // start → `plan`; a crowd (a changed guestCount) interrupts it for the decision
  camunda('crowded', `
    <bpmn:startEvent id="start" />${flow('f1', 'start', 'plan')}
    <bpmn:userTask id="plan" />
    <bpmn:boundaryEvent id="crowd" attachedToRef="plan"><bpmn:conditionalEventDefinition>
      <bpmn:condition xsi:type="bpmn:tFormalExpression">\${guestCount > 10}</bpmn:condition></bpmn:conditionalEventDefinition></bpmn:boundaryEvent>${flow('f2', 'crowd', 'decide')}
    <bpmn:businessRuleTask id="decide" camunda:decisionRef="dish" camunda:resultVariable="meal" camunda:mapDecisionResult="singleEntry" />${flow('f3', 'decide', 'serve')}
    <bpmn:userTask id="serve" />`),
];

describe.each(testBackends())('business rule tasks on %s', (backend) => {
  const engine = engineUnderTest(backend, 'business-rule-tasks', models);
  const started = async (key: string, variables: Record<string, { value: unknown }>) => {
    const instance = await engine().startInstance({ process_definition_key: key, variables });
    return engine().getInstance(instance.id);
  };
  const variable = (instance: { variables: Record<string, { value: unknown }> }, name: string) => instance.variables[name]?.value;

  it('deploys a DMN file: each decision a version of its id, the same file again none', async () => {
    const first = await engine().deployDecisions({ dmn_xml: menu });
    expect(first.created).toBe(true);
    expect(first.decisions.map((d) => [d.key, d.version, d.decision_requirements_key])).toEqual([['dish', 1, 'menu'], ['beverages', 1, 'menu']]);
    const again = await engine().deployDecisions({ dmn_xml: menu });
    expect(again.created).toBe(false);
    expect(again.decisions.map((d) => d.id)).toEqual(first.decisions.map((d) => d.id));
    const described = await engine().getDecision(first.decisions[1]!.id);
    expect(described).toMatchObject({
      key: 'beverages', decision_type: 'table', hit_policy: 'COLLECT', required_decisions: ['dish'],
      inputs: [{ label: 'Dish', expression: 'dish', type_ref: 'string' }, { label: 'Guests with children', expression: 'guestsWithChildren', type_ref: 'boolean' }],
      outputs: [{ name: 'beverages', type_ref: 'string' }],
    });
    expect(described.dmn_xml).toBe(menu);
  });

  it('maps the result as camunda:mapDecisionResult says', async () => {
    expect(variable(await started('single_entry', winterForFour), 'meal')).toBe('Roastbeef');
    expect(variable(await started('single_result', winterForFour), 'meal')).toEqual({ dish: 'Roastbeef' });
    expect(variable(await started('result_list', winterForFour), 'meal')).toEqual([{ dish: 'Roastbeef' }]);
    const instance = await started('by_expression', { ...winterForFour, which: { value: 'dish' } });
    expect(variable(instance, 'meal')).toBe('Roastbeef');
    expect(instance.current_activities.map((a) => a.activity_id)).toEqual(['serve']);
  });

  it('evaluates the decisions a decision requires first', async () => {
    const instance = await started('collect_entries', { season: { value: 'Spring' }, guestCount: { value: 6 }, guestsWithChildren: { value: true } });
    expect(variable(instance, 'drinks')).toEqual(['Pinot Noir', 'Apple Juice']);
  });

  it('gives a Zeebe result variable the decision output itself', async () => {
    expect(variable(await started('zeebe_dish', winterForFour), 'meal')).toBe('Roastbeef');
    const drinks = await started('zeebe_drinks', { season: { value: 'Fall' }, guestCount: { value: 12 }, guestsWithChildren: { value: false } });
    expect(variable(drinks, 'drinks')).toEqual(['Guiness']);
  });

  it('holds the token with an incident when the decision cannot be evaluated, and goes on once retried', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'single_entry', variables: { season: { value: 'Winter' } } });
    const [incident] = (await engine().listIncidents({ process_instance_id: instance.id })).data;
    expect(incident).toMatchObject({ activity_id: 'decide', incident_type: 'failedInstruction' });
    expect(incident!.incident_message).toMatch(/guestCount/);
    await engine().resolveIncident(incident!.id, { resolution_type: 'retry', variables: { guestCount: { value: 3 } } });
    expect(variable(await engine().getInstance(instance.id), 'meal')).toBe('Roastbeef');
  });

  // the decision is evaluated after the instance's own steps, in the same command: the answer is read after it
  it('answers a modification with the instance as the decision it reached left it', async () => {
    const instance = await started('single_entry', winterForFour);
    const moved = await engine().modifyInstance(instance.id, {
      instructions: [{ type: 'start_before_activity', activity_id: 'decide', variables: { guestCount: { value: 30 } } }, { type: 'cancel', activity_id: 'serve' }],
    });
    expect(moved.current_activities.map((a) => a.activity_id)).toEqual(['serve']);
    expect(variable(moved, 'meal')).toBe('Stew');
  });

  it('answers changed variables with those of the decision a conditional event led to', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'crowded', variables: { season: { value: 'Winter' }, guestCount: { value: 4 } } });
    const variables = await engine().updateVariables(instance.id, [{ variable_name: 'guestCount', value: 12 }]);
    expect(variables.meal?.value).toBe('Stew');
    expect((await engine().getInstance(instance.id)).current_activities.map((a) => a.activity_id)).toEqual(['serve']);
  });

  it('holds the token with an incident when the result does not fit its mapping', async () => {
    const instance = await engine().startInstance({
      process_definition_key: 'drinks_single', variables: { season: { value: 'Spring' }, guestCount: { value: 6 }, guestsWithChildren: { value: true } },
    });
    const [incident] = (await engine().listIncidents({ process_instance_id: instance.id })).data;
    expect(incident!.incident_message).toMatch(/singleEntry/);
    expect((await engine().getInstance(instance.id)).variables.drinks).toBeUndefined();
  });

  it('waits with an incident for a decision not deployed yet, and finds it once it is', async () => {
    const instance = await engine().startInstance({ process_definition_key: 'missing', variables: {} });
    const [incident] = (await engine().listIncidents({ process_instance_id: instance.id })).data;
    expect(incident!.incident_message).toBe("The decision 'later' is not deployed");
    await engine().deployDecisions({ dmn_xml: dmn('later_file', { id: 'later', inputs: [], outputs: [['answer', 'integer']], rules: [['42']] }) });
    await engine().resolveIncident(incident!.id, { resolution_type: 'retry' });
    expect(variable(await engine().getInstance(instance.id), 'answer')).toBe(42);
  });

  it('evaluates a deployed decision by key through the API, and names what went wrong', async () => {
    const evaluated = await engine().evaluateDecision({ decision_key: 'dish', variables: { season: { value: 'Summer' }, guestCount: { value: 30 } } });
    expect(evaluated).toMatchObject({ decision_key: 'dish', version: 1, result: [{ dish: 'Light Salad and a nice Steak' }] });
    await expect(engine().evaluateDecision({ decision_key: 'dish', variables: { season: { value: 'Fall' } } }))
      .rejects.toMatchObject({ code: 'VALIDATION_ERROR', message: expect.stringMatching(/guestCount/) });
    await expect(engine().evaluateDecision({ decision_key: 'nothing_of_that_name' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('refuses a DMN file it cannot evaluate, naming each problem, and deploys nothing of it', async () => {
    const broken = dmn('broken', {
      id: 'broken_table', inputs: [['Amount', 'amount', 'number']], outputs: [['ok', 'boolean']], rules: [['[1..', 'true'], ['< 3']],
    });
    const refused = await engine().deployDecisions({ dmn_xml: broken }).catch((e: unknown) => e);
    expect(isEngineError(refused) && refused.code).toBe('INVALID_DMN');
    const problems = (refused as { details: { problems: { element_id: string | null; message: string }[] } }).details.problems;
    expect(problems.length).toBeGreaterThanOrEqual(2);
    expect(problems.map((p) => p.element_id)).toEqual(expect.arrayContaining(['rule_broken_table_0', 'rule_broken_table_1']));
    expect((await engine().listDecisions({ key: 'broken_table' })).total).toBe(0);
    const long = 'd'.repeat(300);
    const tooLong = await engine().deployDecisions({ dmn_xml: dmn('long_file', { id: long, inputs: [], outputs: [['x', 'integer']], rules: [['1']] }) }).catch((e: unknown) => e);
    expect(tooLong).toMatchObject({ code: 'INVALID_DMN' });
    expect((tooLong as { details: { problems: { message: string }[] } }).details.problems.map((p) => p.message)).toEqual([
      expect.stringMatching(/^The id of 'd+…' has 300 characters; at most 255 can be stored$/),
      expect.stringMatching(/^The name of 'd+…' has 300 characters; at most 255 can be stored$/),
    ]);
  });
});

describe.each(testBackends())('decision versions and bindings on %s', (backend) => {
  const engine = engineUnderTest(backend, 'decision-bindings');
  const menuWith = (springSteak: string) => dmn('menu', dish(springSteak));
  const springForSix = { season: { value: 'Spring' }, guestCount: { value: 6 } };
  const meal = async (key: string, tenant_id?: string) => {
    const instance = await engine().startInstance({ process_definition_key: key, variables: springForSix, tenant_id });
    return (await engine().getInstance(instance.id)).variables.meal?.value;
  };
  const bound = (key: string, binding: string) => deciding(key, `camunda:decisionRef="dish" ${binding} camunda:resultVariable="meal" camunda:mapDecisionResult="singleEntry"`);

  it('takes the latest version, a version by number, by tag, or the one deployed with the process', async () => {
    await engine().deployDecisions({ dmn_xml: menuWith('"Steak v1"') });
    await engine().deploy({ bpmn_xml: bound('latest_dish', ''), decisions: [menuWith('"Steak v2"')] });
    await engine().deploy({ bpmn_xml: bound('first_dish', 'camunda:decisionRefBinding="version" camunda:decisionRefVersion="1"') });
    await engine().deploy({ bpmn_xml: bound('own_dish', 'camunda:decisionRefBinding="deployment"'), decisions: [menuWith('"Steak v3"')] });
    await engine().deployDecisions({ dmn_xml: menuWith('"Steak v4"') });
    expect((await engine().listDecisions({ key: 'dish', latest: true })).data.map((d) => d.version)).toEqual([4]);
    expect(await meal('latest_dish')).toBe('Steak v4');
    expect(await meal('first_dish')).toBe('Steak v1');
    expect(await meal('own_dish')).toBe('Steak v3');
    // a changed model with a DMN file that is the latest version already: the file is deployed again, beside the model
    await engine().deploy({ bpmn_xml: bound('own_dish', 'camunda:decisionRefBinding="deployment" name="changed"'), decisions: [menuWith('"Steak v4"')] });
    expect(await meal('own_dish')).toBe('Steak v4');
    expect((await engine().listDecisions({ key: 'dish', latest: true })).data.map((d) => d.version)).toEqual([5]);
  });

  it("looks a decision up in the instance's tenant first, then among those of no tenant", async () => {
    await engine().deployDecisions({ dmn_xml: menuWith('"Steak of tenant a"'), tenant_id: 'a' });
    await engine().deploy({ bpmn_xml: bound('tenant_dish', ''), tenant_id: 'a' });
    await engine().deploy({ bpmn_xml: bound('tenant_dish', ''), tenant_id: 'b' });
    expect(await meal('tenant_dish', 'a')).toBe('Steak of tenant a');
    expect(await meal('tenant_dish', 'b')).toBe('Steak v4');
  });
});

describe('business rule tasks refused at deploy', () => {
  const engine = engineUnderTest('pglite', 'business-rule-tasks-refused');
  const refusal = async (bpmn_xml: string) => {
    const error = await engine().deploy({ bpmn_xml }).catch((e: unknown) => e);
    expect(isEngineError(error) && error.code).toBe('INVALID_BPMN');
    return (error as { details: { problems: { message: string }[] } }).details.problems.map((p) => p.message).join('\n');
  };

  it('names a mapping Camunda 7 does not know, and a Zeebe decision without a result variable', async () => {
    expect(await refusal(deciding('bad_mapping', 'camunda:decisionRef="dish" camunda:mapDecisionResult="firstEntry"'))).toMatch(/camunda:mapDecisionResult 'firstEntry'/);
    expect(await refusal(deciding('no_result', '', zeebe, '<bpmn:extensionElements><zeebe:calledDecision decisionId="dish" /></bpmn:extensionElements>'))).toMatch(/no resultVariable/);
    expect(await refusal(deciding('bad_binding', 'camunda:decisionRef="dish" camunda:decisionRefBinding="version"'))).toMatch(/camunda:decisionRefVersion/);
  });
});
