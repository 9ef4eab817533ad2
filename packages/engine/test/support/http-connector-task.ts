// A service task the engine works itself through Camunda 7's http-connector, as models write it.

/** `<bpmn:serviceTask>` whose connector has these input parameters (values as written, `${…}` included) */
export const httpConnectorTask = (id: string, inputs: Record<string, string>, extensions = ''): string => `
    <bpmn:serviceTask id="${id}">
      <bpmn:extensionElements>
        <camunda:connector>
          <camunda:connectorId>http-connector</camunda:connectorId>
          <camunda:inputOutput>${Object.entries(inputs).map(([name, value]) => `
            <camunda:inputParameter name="${name}">${value}</camunda:inputParameter>`).join('')}
          </camunda:inputOutput>
        </camunda:connector>${extensions}
      </bpmn:extensionElements>
    </bpmn:serviceTask>`;
