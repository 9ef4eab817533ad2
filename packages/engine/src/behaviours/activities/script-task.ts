import type { Behaviour } from '../behaviour.js';
import { typedFromValue } from '../../variables/variable-codec.js';

/** FEEL scripts only: the result goes to the result variable, if any */
export const scriptTask: Behaviour = {
  activate(ctx, token, node) {
    const script = node.script;
    if (!script) throw new Error(`script task ${node.id} has no script`);
    const result = ctx.evaluate(token, script.script);
    if (script.resultVariable) ctx.variables.set(token.id, script.resultVariable, typedFromValue(result));
    ctx.leave(token);
  },
};
