// Camunda 7 Java delegates run as external tasks on a topic named after the class, bean or bean method,
// by the rule of Camunda's Camunda 7 to 8 diagram converter.
import { describe, expect, it } from 'vitest';
import { delegateTopic, type DelegateAttribute } from '../../src/model/extensions/delegate-topic.js';
import { compileOne, draftOf, flow, processXml } from './bpmn-documents.js';

describe('the topic of a Java delegate', () => {
  it.each<[DelegateAttribute, string, string]>([
    ['class', 'org.example.ChargeCardDelegate', 'chargeCardDelegate'],
    ['class', 'ChargeCard', 'chargeCard'],
    ['class', ' org.example.Outer$Inner ', 'outer$Inner'],
    ['class', 'org.example.', ''],
    ['delegateExpression', '${chargeCard}', 'chargeCard'],
    ['delegateExpression', '#{emailAdapter}', 'emailAdapter'],
    ['delegateExpression', '${ chargeCard }', 'chargeCard'],
    ['delegateExpression', '${beans.charger}', 'beansCharger'],
    ['delegateExpression', 'chargeCard', 'chargeCard'],
    ['expression', '${svc.charge(x)}', 'svcCharge'],
    ['expression', '#{jobAnnouncementService.postToWebsite(jobAnnouncementId)}', 'jobAnnouncementServicePostToWebsite'],
    ['expression', "${execution.setVariable('foo', 'bar')}", 'executionSetVariable'],
    ['expression', '${payments.card.charge(order.total, "EUR")}', 'paymentsCardCharge'],
    ['expression', '${y}', 'y'],
    ['expression', '${}', ''],
  ])('camunda:%s="%s" → %s', (attribute, value, topic) => {
    expect(delegateTopic(attribute, value)).toBe(topic);
  });
});

const roots = '<bpmn:message id="Msg" name="order-shipped" />';

describe('compiling Java delegates', () => {
  it('makes service, send and business rule tasks with a class, delegate expression or expression external tasks', async () => {
    const { model, records } = await draftOf(processXml(`
      <bpmn:serviceTask id="Charge" camunda:class="org.example.ChargeCardDelegate">
        <bpmn:extensionElements><camunda:failedJobRetryTimeCycle>R5/PT1M</camunda:failedJobRetryTimeCycle></bpmn:extensionElements>
      </bpmn:serviceTask>
      <bpmn:sendTask id="Mail" camunda:delegateExpression="\${mailer}" />
      <bpmn:businessRuleTask id="Rate" camunda:expression="\${rating.rate(order)}" />`));
    expect(model.elements.get('Charge')?.externalTask).toEqual({
      topic: { source: 'org.example.ChargeCardDelegate', literal: 'chargeCardDelegate' }, retries: 5, retryTimeCycle: 'R5/PT1M',
    });
    expect(model.elements.get('Mail')?.externalTask).toEqual({ topic: { source: '${mailer}', literal: 'mailer' } });
    expect(model.elements.get('Rate')?.externalTask).toEqual({ topic: { source: '${rating.rate(order)}', literal: 'ratingRate' } });
    expect(['Charge', 'Mail', 'Rate'].map((id) => records.get(id)?.constructs.map((construct) => construct.key)))
      .toEqual([['serviceTask:external'], ['sendTask:external'], ['businessRuleTask:external']]);
  });

  it('makes message throw events with a delegate on their messageEventDefinition external tasks', async () => {
    const { model, records } = await draftOf(processXml(`
      <bpmn:intermediateThrowEvent id="Notify"><bpmn:messageEventDefinition messageRef="Msg" camunda:delegateExpression="\${notifier}" /></bpmn:intermediateThrowEvent>
      <bpmn:endEvent id="Shipped"><bpmn:messageEventDefinition messageRef="Msg" camunda:class="org.example.ShippedSender" /></bpmn:endEvent>`, roots));
    expect(model.elements.get('Notify')?.externalTask?.topic.literal).toBe('notifier');
    expect(model.elements.get('Shipped')?.externalTask?.topic.literal).toBe('shippedSender');
    expect(records.get('Shipped')?.constructs.map((construct) => construct.key)).toEqual(['endEvent:message:external']);
  });

  it("maps an expression's result variable from the worker's `result`, a local of the task, before the task's own outputs", async () => {
    const model = await compileOne(processXml(`
      <bpmn:startEvent id="Start" />${flow('f1', 'Start', 'Quote')}
      <bpmn:serviceTask id="Quote" camunda:expression="\${pricing.quote(order)}" camunda:resultVariable="price">
        <bpmn:extensionElements>
          <camunda:inputOutput>
            <camunda:inputParameter name="currency">EUR</camunda:inputParameter>
            <camunda:outputParameter name="quoted">\${true}</camunda:outputParameter>
          </camunda:inputOutput>
        </bpmn:extensionElements>
      </bpmn:serviceTask>
      ${flow('f2', 'Quote', 'End')}<bpmn:endEvent id="End" />`));
    const quote = model.elements.get('Quote')!;
    expect(quote.inputs).toEqual([
      { source: { source: '', feel: 'null' }, target: 'result' },
      { source: { source: 'EUR', literal: 'EUR' }, target: 'currency' },
    ]);
    expect(quote.outputs).toEqual([
      { source: { source: 'result', feel: 'result' }, target: 'price' },
      { source: { source: '${true}', feel: 'true' }, target: 'quoted' },
    ]);
  });

  it('leaves the result variable of a class or delegate expression alone, as Camunda 7 does', async () => {
    const { model } = await draftOf(processXml(`
      <bpmn:serviceTask id="Charge" camunda:class="org.example.Charge" camunda:resultVariable="charged" />
      <bpmn:serviceTask id="Mail" camunda:delegateExpression="\${mailer}" camunda:resultVariable="sent" />`));
    expect(model.elements.get('Charge')).toMatchObject({ inputs: [], outputs: [] });
    expect(model.elements.get('Mail')).toMatchObject({ inputs: [], outputs: [] });
  });

  it('prefers camunda:type="external" and its topic to a delegate also written on the task', async () => {
    const { model } = await draftOf(processXml('<bpmn:serviceTask id="Charge" camunda:type="external" camunda:topic="charge" camunda:class="org.example.Charge" />'));
    expect(model.elements.get('Charge')?.externalTask?.topic).toEqual({ source: 'charge', literal: 'charge' });
  });
});
