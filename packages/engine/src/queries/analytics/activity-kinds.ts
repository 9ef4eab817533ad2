// How the analytics read activity types. A plain `task` does no work and is in neither group.

/** Work done by people. */
export const HUMAN_TASK_TYPES = ['userTask', 'manualTask'];

/** Work done by the engine or by external workers, without a person. */
export const AUTOMATED_TASK_TYPES = ['serviceTask', 'scriptTask', 'businessRuleTask', 'sendTask'];

/**
 * Where a token waits for something outside the engine: a person, a message, a timer or signal, or
 * the other branches at a join.
 */
export const WAITING_TYPES = [
  ...HUMAN_TASK_TYPES, 'receiveTask', 'intermediateCatchEvent', 'eventBasedGateway', 'parallelGateway', 'inclusiveGateway',
];

/** Activity types that are a unit of work; a repeat of one in the same instance is rework. */
export const WORK_TYPES = [...HUMAN_TASK_TYPES, ...AUTOMATED_TASK_TYPES];

/**
 * Their time is the time of the activities inside them (or of a child instance), counted there. Migration
 * 0010's rollup of activity waits leaves out the same types.
 */
export const SCOPE_TYPES = ['subProcess', 'callActivity', 'transaction', 'adHocSubProcess'];
