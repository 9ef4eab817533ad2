// The built-in HTTP connector as the engine's service calls: the request was evaluated when the token
// reached the task and stored in the job row; the response is mapped to variables by the model.
import type { HttpConnectorOptions } from '../api/engine.js';
import {
  environmentSecrets, parseAllowedUrl, performHttpRequest, resultVariables, secretNamesOf, systemResolver, type HttpCallPolicy, type HttpRequest,
} from '../connectors/index.js';
import type { DefinitionRegistry } from '../definitions/definition-registry.js';
import { invalid } from '../errors.js';
import { ExpressionError } from '../expressions/index.js';
import { typedFromValue } from '../variables/variable-codec.js';
import type { ServiceCalls } from './service-calls.js';

export function connectorCalls(definitions: DefinitionRegistry, policy: HttpCallPolicy): ServiceCalls {
  return {
    async perform(job, cancel) {
      const { model } = await definitions.get(job.process_definition_id);
      const spec = model.elements.get(job.activity_id)?.httpConnector;
      if (!spec || job.payload === null) throw new Error(`Job '${job.id}' at '${job.activity_id}' has no HTTP call to make`);
      const result = await performHttpRequest(JSON.parse(job.payload) as HttpRequest, policy, { cancel, secretNames: secretNamesOf(spec) });
      try {
        const variables = new Map([...resultVariables(spec, result)].map(([name, value]) => [name, typedFromValue(value)]));
        return { ok: true, variables };
      } catch (e) {
        if (!(e instanceof ExpressionError)) throw e;
        return { ok: false, message: `The response of the HTTP call at '${job.activity_id}' cannot be mapped: ${e.message}` };
      }
    },
  };
}

/** the connector's rules from the engine's options; an entry that is no URL prefix stops the engine's start */
export function httpCallPolicy(options: HttpConnectorOptions = {}): HttpCallPolicy {
  const allowList = (options.allowedUrls ?? []).map((entry) => {
    try {
      return parseAllowedUrl(entry);
    } catch (e) {
      throw invalid(`httpConnector.allowedUrls: ${e instanceof Error ? e.message : String(e)}`);
    }
  });
  return { allowList, secrets: options.secret ?? environmentSecrets, resolve: options.resolveHost ?? systemResolver };
}
