import type { Behaviour } from './behaviour.js';

/** task and manual task: nothing for the engine to do */
export const passThrough: Behaviour = {
  execute: (a, token) => a.leave(token, 'inclusive'),
};

export const userTask: Behaviour = {
  execute: (a, token, node) => a.createUserTask(token, node),
};

/** service, send and business-rule tasks: worked outside the engine on a topic, or a call the engine makes */
export const externalTask: Behaviour = {
  execute: (a, token, node) => (node.httpConnector ? a.callService(token, node) : a.createExternalTask(token, node)),
};

export const receiveTask: Behaviour = {
  execute(a, token, node) {
    if (node.eventDefinition.kind !== 'message') throw new Error(`receive task ${node.id} has no message`);
    a.waitForEvent(token, node);
  },
};

/** FEEL scripts only: the result goes to the result variable, if any */
export const scriptTask: Behaviour = {
  execute(a, token, node) {
    const script = node.script;
    if (!script) throw new Error(`script task ${node.id} has no script`);
    const result = a.evaluate(token, script.script);
    if (script.resultVariable) a.setVariable(token, script.resultVariable, result);
    a.leave(token, 'inclusive');
  },
};

export const subProcess: Behaviour = {
  execute: (a, token, node) => a.enterSubProcess(token, node),
};
