// Checks a running server beyond /health, through what the bundled server finds on disk beside it at run
// time: deploys a model (compiled in a worker thread that loads the engine's build) whose task maps an
// open-ended FEEL expression (evaluated in another worker thread), runs an instance through it, and asks for
// the API's documentation page and the management UI.
//   node scripts/check-served.mjs http://127.0.0.1:3007     exit status 0 when all answered as expected
const base = process.argv[2];
const api = `${base}/api/processes`;

const MODEL = `<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="defs" targetNamespace="http://example.com/check">
  <bpmn:process id="served_check" isExecutable="true">
    <bpmn:startEvent id="start" />
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="count" />
    <bpmn:userTask id="count"><bpmn:extensionElements><camunda:inputOutput>
      <camunda:inputParameter name="total">=count(for x in 1..n return x)</camunda:inputParameter>
      <camunda:outputParameter name="total">=total</camunda:outputParameter>
    </camunda:inputOutput></bpmn:extensionElements></bpmn:userTask>
    <bpmn:sequenceFlow id="f2" sourceRef="count" targetRef="end" />
    <bpmn:endEvent id="end" />
  </bpmn:process>
</bpmn:definitions>`;

async function call(method, url, body) {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { 'content-type': typeof body === 'string' ? 'application/xml' : 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${method} ${url} answered ${response.status}: ${await response.text()}`);
  return response.headers.get('content-type')?.includes('json') ? response.json() : response.text();
}

await call('POST', `${api}/definitions`, MODEL);
const instance = await call('POST', `${api}/instances`, { process_definition_key: 'served_check', variables: { n: { value: 7 } } });
const [task] = (await call('GET', `${api}/tasks?process_instance_id=${instance.id}`)).data;
if (!task) throw new Error(`the instance has no open task: ${JSON.stringify(await call('GET', `${api}/instances/${instance.id}`))}`);
await call('POST', `${api}/tasks/${task.id}/complete`, {});
const finished = await call('GET', `${api}/instances/${instance.id}`);
if (finished.status !== 'completed' || finished.variables.total?.value !== 7) {
  throw new Error(`the instance ended ${finished.status} with total ${JSON.stringify(finished.variables.total)}, not completed with 7`);
}
if (!(await call('GET', `${base}/docs`)).includes('swagger')) throw new Error('/docs is not the API documentation page');
if (!(await call('GET', `${base}/`)).includes('<html')) throw new Error('/ is not the management UI');
console.log('the server deployed and ran a model, and served /docs and the management UI');
