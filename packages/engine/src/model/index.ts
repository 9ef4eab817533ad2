// The model: BPMN XML compiled into frozen ProcessModels, and their description for the API.
export type * from './process-model.js';
export { CALLING_EXECUTION } from './process-model.js';
export { compileDefinitions } from './compile-model.js';
export { compileDefinitionsOffThread } from './compile-off-thread.js';
export { DEFAULT_MAX_BPMN_BYTES, type ReadOptions } from './read-bpmn.js';
export { describeTasks, startForm } from './describe-process.js';
export { linkTargets } from './link-targets.js';
export { MAX_INSTANCES } from './limits.js';
