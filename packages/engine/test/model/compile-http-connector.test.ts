import { describe, expect, it } from 'vitest';
import { buildHttpRequest } from '../../src/connectors/index.js';
import { evaluateExpression } from '../../src/expressions/index.js';
import { compileOne, draftOf, flow, problemsOf, processXml } from './bpmn-documents.js';

/** A process whose only task is `task` (with id X), between a start and an end event. */
const around = (task: string) => processXml(`<bpmn:startEvent id="S" />${flow('f1', 'S', 'X')}${task}${flow('f2', 'X', 'E')}<bpmn:endEvent id="E" />`);

// The same call as Camunda Modeler writes it for Camunda 7 (Connect) and for Camunda 8 (REST connector).
const camunda7 = around(`
  <bpmn:serviceTask id="X" name="Create order">
    <bpmn:extensionElements>
      <camunda:connector>
        <camunda:connectorId>http-connector</camunda:connectorId>
        <camunda:inputOutput>
          <camunda:inputParameter name="url">https://shop.example/orders/\${orderId}</camunda:inputParameter>
          <camunda:inputParameter name="method">POST</camunda:inputParameter>
          <camunda:inputParameter name="headers">
            <camunda:map><camunda:entry key="Accept">application/json</camunda:entry><camunda:entry key="X-Trace">\${trace}</camunda:entry></camunda:map>
          </camunda:inputParameter>
          <camunda:inputParameter name="payload">\${order}</camunda:inputParameter>
          <camunda:outputParameter name="created">\${response}</camunda:outputParameter>
          <camunda:outputParameter name="status">\${statusCode}</camunda:outputParameter>
          <camunda:outputParameter name="orderNumber"><camunda:script scriptFormat="feel">response.number</camunda:script></camunda:outputParameter>
        </camunda:inputOutput>
      </camunda:connector>
      <camunda:inputOutput><camunda:inputParameter name="trace">t-\${orderId}</camunda:inputParameter></camunda:inputOutput>
      <camunda:failedJobRetryTimeCycle>R3/PT1M</camunda:failedJobRetryTimeCycle>
    </bpmn:extensionElements>
  </bpmn:serviceTask>`);

const camunda8 = around(`
  <bpmn:serviceTask id="X" name="Create order" zeebe:modelerTemplate="io.camunda.connectors.HttpJson.v2">
    <bpmn:extensionElements>
      <zeebe:taskDefinition type="io.camunda:http-json:1" retries="3" />
      <zeebe:ioMapping>
        <zeebe:input source="noAuth" target="authentication.type" />
        <zeebe:input source="POST" target="method" />
        <zeebe:input source="=&quot;https://shop.example/orders/&quot; + string(orderId)" target="url" />
        <zeebe:input source="={&quot;Accept&quot;: &quot;application/json&quot;, &quot;X-Trace&quot;: trace}" target="headers" />
        <zeebe:input source="={page: 1}" target="queryParameters" />
        <zeebe:input source="=order" target="body" />
        <zeebe:input source="30" target="connectionTimeoutInSeconds" />
        <zeebe:input source="=&quot;t-&quot; + string(orderId)" target="trace" />
        <zeebe:output source="=number" target="orderNumber" />
      </zeebe:ioMapping>
      <zeebe:taskHeaders>
        <zeebe:header key="resultVariable" value="created" />
        <zeebe:header key="resultExpression" value="={number: body.number}" />
        <zeebe:header key="retryBackoff" value="PT0S" />
      </zeebe:taskHeaders>
    </bpmn:extensionElements>
  </bpmn:serviceTask>`);

// Compiled with draftOf, not validated: supported-elements.ts decides whether the interpreter runs them.
describe('compiling the HTTP connector', () => {
  it('compiles camunda:connector http-connector: inputs to the request, outputs over the response', async () => {
    const task = (await draftOf(camunda7)).model.elements.get('X')!;
    expect(task.httpConnector).toEqual({
      url: { source: 'https://shop.example/orders/${orderId}', feel: '"https://shop.example/orders/" + string(orderId)' },
      method: { source: 'POST', literal: 'POST' },
      headers: { source: '{"Accept": "application/json", "X-Trace": (trace)}', feel: '{"Accept": "application/json", "X-Trace": (trace)}' },
      body: { source: '${order}', feel: 'order' },
      outputs: [
        { source: { source: '${response}', feel: 'response' }, target: 'created' },
        { source: { source: '${statusCode}', feel: 'statusCode' }, target: 'status' },
        { source: { source: 'response.number', feel: 'response.number' }, target: 'orderNumber' },
      ],
      retries: 3,
      retryTimeCycle: 'R3/PT1M',
    });
    expect(task.externalTask).toBeUndefined();
    // the task's own input parameters stay ordinary mappings
    expect(task.inputs).toEqual([{ source: { source: 't-${orderId}', feel: '"t-" + string(orderId)' }, target: 'trace' }]);
    expect(task.outputs).toEqual([]);
  });

  it('compiles Zeebe\'s REST connector: connector inputs to the request, not to variables', async () => {
    const task = (await draftOf(camunda8)).model.elements.get('X')!;
    expect(task.httpConnector).toEqual({
      url: { source: '="https://shop.example/orders/" + string(orderId)', feel: '"https://shop.example/orders/" + string(orderId)' },
      method: { source: 'POST', literal: 'POST' },
      headers: { source: '={"Accept": "application/json", "X-Trace": trace}', feel: '{"Accept": "application/json", "X-Trace": trace}', openEnded: true },
      query: { source: '={page: 1}', feel: '{page: 1}', openEnded: true },
      body: { source: '=order', feel: 'order' },
      timeoutSeconds: { source: '30', literal: '30' },
      outputs: [],
      resultVariable: 'created',
      resultExpression: { source: '={number: body.number}', feel: '{number: body.number}', openEnded: true },
      retries: 3,
    });
    expect(task.externalTask).toBeUndefined();
    expect(task.inputs).toEqual([{ source: { source: '="t-" + string(orderId)', feel: '"t-" + string(orderId)' }, target: 'trace' }]);
    expect(task.outputs).toEqual([{ source: { source: '=number', feel: 'number' }, target: 'orderNumber' }]);
  });

  it('gives the same request from both dialects', async () => {
    // the task's scope, its own input `trace` included
    const variables = { orderId: 42, trace: 't-42', order: { items: ['book'] } };
    const request = async (xml: string) => {
      // Camunda 7 declares no query parameters nor timeout, so the Camunda 8 ones are left out
      const spec = (await draftOf(xml)).model.elements.get('X')!.httpConnector!;
      return buildHttpRequest({ ...spec, query: undefined, timeoutSeconds: undefined }, (expression) => evaluateExpression(expression, variables));
    };
    const expected = {
      url: 'https://shop.example/orders/42',
      method: 'POST',
      headers: { Accept: 'application/json', 'X-Trace': 't-42', 'content-type': 'application/json' },
      body: '{"items":["book"]}',
      timeout_ms: 20_000,
    };
    expect(await request(camunda7)).toEqual(expected);
    expect(await request(camunda8)).toEqual(expected);
  });

  it('names the construct <task>:http-connector for service, send and business rule tasks', async () => {
    const connector = '<camunda:connector><camunda:connectorId>http-connector</camunda:connectorId><camunda:inputOutput><camunda:inputParameter name="url">http://x.example</camunda:inputParameter></camunda:inputOutput></camunda:connector>';
    const zeebe = '<zeebe:taskDefinition type="io.camunda:http-json:1" /><zeebe:ioMapping><zeebe:input source="http://x.example" target="url" /></zeebe:ioMapping>';
    for (const type of ['serviceTask', 'sendTask', 'businessRuleTask']) {
      for (const extension of [connector, zeebe]) {
        const { records } = await draftOf(around(`<bpmn:${type} id="X"><bpmn:extensionElements>${extension}</bpmn:extensionElements></bpmn:${type}>`));
        expect(records.get('X')!.constructs).toEqual([{ key: `${type}:http-connector`, description: `a ${type} calling an HTTP service` }]);
      }
    }
  });

  it('keeps other Zeebe job types as external tasks', async () => {
    const task = (await compileOne(around('<bpmn:serviceTask id="X"><bpmn:extensionElements><zeebe:taskDefinition type="io.camunda:sendgrid:1" /><zeebe:ioMapping><zeebe:input source="x" target="url" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:serviceTask>'))).elements.get('X')!;
    expect(task.externalTask).toEqual({ topic: { source: 'io.camunda:sendgrid:1', literal: 'io.camunda:sendgrid:1' } });
    expect(task.httpConnector).toBeUndefined();
    expect(task.inputs).toEqual([{ source: { source: 'x', literal: 'x' }, target: 'url' }]);
  });
});

describe('HTTP connector problems at deploy', () => {
  const camundaTask = (parameters: string, connectorId = 'http-connector') =>
    around(`<bpmn:serviceTask id="X"><bpmn:extensionElements><camunda:connector><camunda:connectorId>${connectorId}</camunda:connectorId><camunda:inputOutput>${parameters}</camunda:inputOutput></camunda:connector></bpmn:extensionElements></bpmn:serviceTask>`);
  const zeebeTask = (inputs: string, headers = '') =>
    around(`<bpmn:serviceTask id="X"><bpmn:extensionElements><zeebe:taskDefinition type="io.camunda:http-json:1" /><zeebe:ioMapping>${inputs}</zeebe:ioMapping><zeebe:taskHeaders>${headers}</zeebe:taskHeaders></bpmn:extensionElements></bpmn:serviceTask>`);

  it.each([
    ['a camunda:connector without url', camundaTask('<camunda:inputParameter name="method">GET</camunda:inputParameter>'), /^The camunda:connector 'http-connector' of serviceTask 'X' has no url input parameter$/],
    ['a camunda:connector with an empty url', camundaTask('<camunda:inputParameter name="url" />'), /camunda:connector 'http-connector' of serviceTask 'X' has no url input parameter/],
    ['a camunda:connector without inputOutput', around('<bpmn:serviceTask id="X"><bpmn:extensionElements><camunda:connector><camunda:connectorId>http-connector</camunda:connectorId></camunda:connector></bpmn:extensionElements></bpmn:serviceTask>'), /has no url input parameter/],
    ['a REST connector without url', zeebeTask('<zeebe:input source="GET" target="method" />'), /^The REST connector of serviceTask 'X' \(zeebe:taskDefinition type="io\.camunda:http-json:1"\) has no url input$/],
  ])('refuses %s, naming the element', async (_title, xml, message) => {
    expect(await problemsOf(xml)).toEqual([{ element_id: 'X', message: expect.stringMatching(message) }]);
  });

  it('reports a url that does not compile once', async () => {
    expect(await problemsOf(camundaTask('<camunda:inputParameter name="url">${a.b()}</camunda:inputParameter>'))).toEqual([
      { element_id: 'X', message: expect.stringMatching(/^The connector input parameter 'url' of serviceTask 'X' \('\$\{a\.b\(\)\}'\) cannot be used/) },
    ]);
    expect(await problemsOf(zeebeTask('<zeebe:input source="=1 +" target="url" />'))).toEqual([
      { element_id: 'X', message: expect.stringMatching(/^The connector input 'url' of serviceTask 'X' \('=1 \+'\) cannot be used/) },
    ]);
  });

  it.each([
    ['an input parameter the connector does not read', camundaTask('<camunda:inputParameter name="url">http://x.example</camunda:inputParameter><camunda:inputParameter name="request-config">x</camunda:inputParameter>'),
      /has an input parameter 'request-config', which this engine does not use \(it reads url, method, headers, payload\)/],
    ['authentication', zeebeTask('<zeebe:input source="http://x.example" target="url" /><zeebe:input source="bearer" target="authentication.type" /><zeebe:input source="t" target="authentication.token" />'),
      /uses authentication \(authentication\.type=bearer, authentication\.token=t\), which this engine does not support; send credentials in the headers/],
    ['an errorExpression', zeebeTask('<zeebe:input source="http://x.example" target="url" />', '<zeebe:header key="errorExpression" value="=bpmnError(&quot;E&quot;, &quot;m&quot;)" />'),
      /has an errorExpression, which this engine does not support: a failed call raises an incident/],
    ['a result expression that does not compile', zeebeTask('<zeebe:input source="http://x.example" target="url" />', '<zeebe:header key="resultExpression" value="={a:" />'),
      /The result expression of serviceTask 'X' \('=\{a:'\) cannot be used/],
  ])('refuses %s', async (_title, xml, message) => {
    expect(await problemsOf(xml)).toContainEqual({ element_id: 'X', message: expect.stringMatching(message) });
  });

  it('describes other connectors by their id, which stays refused', async () => {
    const { records } = await draftOf(camundaTask('<camunda:inputParameter name="to">a@b.example</camunda:inputParameter>', 'mail-send'));
    expect(records.get('X')!.constructs).toEqual([expect.objectContaining({ key: 'serviceTask:camunda:connector', description: "camunda:connector 'mail-send'" })]);
    expect(await problemsOf(camundaTask('', 'soap-http-connector'))).toEqual([
      { element_id: 'X', message: expect.stringMatching(/^serviceTask 'X': camunda:connector 'soap-http-connector' is not supported by this engine; .*camunda:connector with connectorId http-connector/) },
    ]);
  });
});
