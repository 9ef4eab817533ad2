import type { Behaviour } from './behaviour.js';

export const startEvent: Behaviour = {
  execute: (a, token) => a.leave(token, 'inclusive'),
};

/** boundary events are entered by the interpreter when they trigger; they only move on */
export const boundaryEvent: Behaviour = {
  execute: (a, token) => a.leave(token, 'inclusive'),
};

export const endEvent: Behaviour = {
  execute(a, token, node) {
    const definition = node.eventDefinition;
    if (definition.kind === 'terminate') return a.terminateScope(token);
    if (definition.kind === 'error') return a.throwError(token, definition.errorCode, definition.errorMessage);
    if (definition.kind === 'signal') a.throwSignal(node, definition.signalName);
    if (definition.kind === 'escalation' && !a.throwEscalation(token, definition.escalationCode)) return;
    if (node.externalTask) return a.createExternalTask(token, node);
    a.end(token);
  },
};

export const intermediateThrowEvent: Behaviour = {
  execute(a, token, node) {
    const definition = node.eventDefinition;
    if (definition.kind === 'link') return a.followLink(token, node);
    if (definition.kind === 'signal') a.throwSignal(node, definition.signalName);
    if (definition.kind === 'escalation' && !a.throwEscalation(token, definition.escalationCode)) return;
    if (node.externalTask) return a.createExternalTask(token, node);
    a.leave(token, 'inclusive');
  },
};

export const intermediateCatchEvent: Behaviour = {
  execute(a, token, node) {
    if (node.eventDefinition.kind === 'link') return a.leave(token, 'inclusive');
    a.waitForEvent(token, node);
  },
};
