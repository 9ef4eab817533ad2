// BPMN models the server's tests deploy. Each takes the process id, so a test can make a key of its own.

const definitions = (body: string, extra = ''): string => `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Definitions_test" targetNamespace="http://example.com/test">
${extra}
${body}
</bpmn:definitions>`;

/** start → end: an instance that completes in the command that starts it */
export const startToEndModel = (key: string) => definitions(`
  <bpmn:process id="${key}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`);

/** start → user task `approve` (candidate group finance) → end */
export const userTaskModel = (key: string) => definitions(`
  <bpmn:process id="${key}" name="Approval ${key}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="approve" />
    <bpmn:userTask id="approve" name="Approve" camunda:candidateGroups="finance" />
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`);

/** start → user task `fill` with a generated form (camunda:formData): `amount` required, a long from 1 to 100 → end */
export const formModel = (key: string) => definitions(`
  <bpmn:process id="${key}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fill" />
    <bpmn:userTask id="fill" name="Fill in">
      <bpmn:extensionElements>
        <camunda:formData>
          <camunda:formField id="amount" label="Amount" type="long">
            <camunda:validation>
              <camunda:constraint name="required" />
              <camunda:constraint name="min" config="1" />
              <camunda:constraint name="max" config="100" />
            </camunda:validation>
          </camunda:formField>
        </camunda:formData>
      </bpmn:extensionElements>
    </bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="fill" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`);

/** start → external service task `charge` on topic `topic` → end */
export const externalTaskModel = (key: string, topic: string) => definitions(`
  <bpmn:process id="${key}" name="Charge ${key}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="charge" />
    <bpmn:serviceTask id="charge" name="Charge" camunda:type="external" camunda:topic="${topic}" />
    <bpmn:sequenceFlow id="f2" sourceRef="charge" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`);

/** start → receive task `wait` for message `message` → end */
export const messageModel = (key: string, message: string) => definitions(`
  <bpmn:process id="${key}" name="Wait for ${message}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:receiveTask id="wait" name="Wait" messageRef="Message_${key}" />
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`, `<bpmn:message id="Message_${key}" name="${message}" />`);

/** start → signal catch `wait` for signal `signal` → end; and a signal start event `started` → user task `approve` */
export const signalModel = (key: string, signal: string) => definitions(`
  <bpmn:process id="${key}" name="Wait for ${signal}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:intermediateCatchEvent id="wait" name="Wait"><bpmn:signalEventDefinition signalRef="Signal_${key}" /></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
    <bpmn:endEvent id="end" />
    <bpmn:startEvent id="started"><bpmn:signalEventDefinition signalRef="Signal_${key}" /></bpmn:startEvent>
    <bpmn:sequenceFlow id="f3" sourceRef="started" targetRef="approve" />
    <bpmn:userTask id="approve" name="Approve" />
  </bpmn:process>`, `<bpmn:signal id="Signal_${key}" name="${signal}" />`);

/** message start event `started` for message `message` → user task `approve` → end */
export const messageStartModel = (key: string, message: string) => definitions(`
  <bpmn:process id="${key}" name="Started by ${message}" isExecutable="true">
    <bpmn:startEvent id="started">
      <bpmn:messageEventDefinition messageRef="Message_${key}" />
    </bpmn:startEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="started" targetRef="approve" />
    <bpmn:userTask id="approve" name="Approve" />
    <bpmn:sequenceFlow id="f2" sourceRef="approve" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`, `<bpmn:message id="Message_${key}" name="${message}" />`);

/** start → call activity `call` calling the process `calledKey` (left out: naming none) → end */
export const callActivityModel = (key: string, calledKey?: string) => definitions(`
  <bpmn:process id="${key}" name="Call ${calledKey ?? 'nothing'}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call" />
    <bpmn:callActivity id="call" name="Call"${calledKey === undefined ? '' : ` calledElement="${calledKey}"`} />
    <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`);

/** Well-formed XML whose process has no start event and a flow to nowhere. */
export const invalidModel = definitions(`
  <bpmn:process id="broken" isExecutable="true">
    <bpmn:task id="lonely" />
    <bpmn:sequenceFlow id="f1" sourceRef="lonely" targetRef="missing" />
  </bpmn:process>`);

/** start → timer catch `wait`, due in an hour → end */
export const timerModel = (key: string) => definitions(`
  <bpmn:process id="${key}" name="Wait an hour ${key}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="wait" />
    <bpmn:intermediateCatchEvent id="wait" name="Wait"><bpmn:timerEventDefinition><bpmn:timeDuration>PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
    <bpmn:sequenceFlow id="f2" sourceRef="wait" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`);

/**
 * start → service task `call`, whose http-connector calls `url` with `method` → end; `extensions` follow
 * the connector (a retry time cycle)
 */
export const httpCallModel = (key: string, url: string, { method = 'POST', extensions = '' }: { method?: string; extensions?: string } = {}) => definitions(`
  <bpmn:process id="${key}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="call" />
    <bpmn:serviceTask id="call">
      <bpmn:extensionElements>
        <camunda:connector>
          <camunda:connectorId>http-connector</camunda:connectorId>
          <camunda:inputOutput>
            <camunda:inputParameter name="url">${url}</camunda:inputParameter>
            <camunda:inputParameter name="method">${method}</camunda:inputParameter>
          </camunda:inputOutput>
        </camunda:connector>${extensions}
      </bpmn:extensionElements>
    </bpmn:serviceTask>
    <bpmn:sequenceFlow id="f2" sourceRef="call" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>`);

/** a DMN 1.3 file with one decision table `<key>` (FIRST): `approved` from `amount` (≤ 1000 true, else false) */
export const approvalDecision = (key: string, limit = 1000) => `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="drd_${key}" name="Approval" namespace="http://camunda.org/schema/1.0/dmn">
  <decision id="${key}" name="Approve ${key}">
    <decisionTable id="table_${key}" hitPolicy="FIRST">
      <input id="amount_in" label="Amount"><inputExpression id="amount_expr" typeRef="double"><text>amount</text></inputExpression></input>
      <output id="approved_out" name="approved" typeRef="boolean" />
      <rule id="small"><inputEntry id="small_in"><text>&lt;= ${limit}</text></inputEntry><outputEntry id="small_out"><text>true</text></outputEntry></rule>
      <rule id="large"><inputEntry id="large_in"><text>-</text></inputEntry><outputEntry id="large_out"><text>false</text></outputEntry></rule>
    </decisionTable>
  </decision>
</definitions>`;

/** start → business rule task evaluating `<decision>` (its single entry in `approved`) → user task `review` */
export const businessRuleModel = (key: string, decision: string, binding = '') => definitions(`
  <bpmn:process id="${key}" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="decide" />
    <bpmn:businessRuleTask id="decide" camunda:decisionRef="${decision}" ${binding} camunda:resultVariable="approved" camunda:mapDecisionResult="singleEntry" />
    <bpmn:sequenceFlow id="f2" sourceRef="decide" targetRef="review" />
    <bpmn:userTask id="review" />
  </bpmn:process>`);
