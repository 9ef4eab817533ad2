// A service task the engine works itself through Camunda 7's http-connector, as models write it.

const parameters = (kind: 'input' | 'output', values: Record<string, string>): string => Object.entries(values).map(([name, value]) => `
            <camunda:${kind}Parameter name="${name}">${value}</camunda:${kind}Parameter>`).join('');

/**
 * `<bpmn:serviceTask>` whose connector has these input parameters and `outputs` (values as written,
 * `${…}` and `<camunda:map>` included); `extensions` follow the connector, e.g. a retry time cycle.
 */
export const httpConnectorTask = (
  id: string,
  inputs: Record<string, string>,
  { outputs = {}, extensions = '' }: { outputs?: Record<string, string>; extensions?: string } = {},
): string => `
    <bpmn:serviceTask id="${id}">
      <bpmn:extensionElements>
        <camunda:connector>
          <camunda:connectorId>http-connector</camunda:connectorId>
          <camunda:inputOutput>${parameters('input', inputs)}${parameters('output', outputs)}
          </camunda:inputOutput>
        </camunda:connector>${extensions}
      </bpmn:extensionElements>
    </bpmn:serviceTask>`;
