import { buildHttpRequest } from '../../connectors/index.js';
import { retriesOf } from '../../execution/work-items.js';
import type { Behaviour } from '../behaviour.js';

/**
 * Service, send and business-rule tasks: worked outside the engine on a topic (an external task), or an
 * HTTP call the engine makes itself as a service job. Either way the token waits for the result.
 */
export const serviceTask: Behaviour = {
  activate(ctx, token, node) {
    if (node.httpConnector) {
      const request = buildHttpRequest(node.httpConnector, (e) => ctx.evaluate(token, e));
      ctx.work.createJob(token, node.id, { type: 'service', handler: 'service', due_at: ctx.now(), retries: retriesOf(node), payload: JSON.stringify(request) });
    } else {
      ctx.work.createExternalTask(token, node, (e) => ctx.evaluate(token, e));
    }
    ctx.wait(token);
  },
};
