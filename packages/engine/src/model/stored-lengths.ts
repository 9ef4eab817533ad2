// Text of a model that the engine stores in columns of bounded width (migrations/0001_initial.sql): ids,
// names, variable names, and the literal names of messages, signals, topics, forms and people. A longer value is refused
// at deploy, naming its element, instead of failing the first command that would store it.
import type { Problem } from '../errors.js';
import type { Expression } from '../expressions/expression.js';
import type { ProcessModel } from './process-model.js';

/** VARCHAR(255): the width of every column such text goes to */
export const MAX_STORED_LENGTH = 255;

/** Characters as PostgreSQL counts them (code points), computed only for text that might be too long. */
const characters = (value: string): number => (value.length <= MAX_STORED_LENGTH ? value.length : [...value].length);

const shortened = (id: string): string => (id.length > 60 ? `${id.slice(0, 60)}…` : id);

/** the problem of a value too long for its column, naming the element it belongs to; undefined when it fits */
export function tooLongToStore(elementId: string, what: string, value: string | undefined): Problem | undefined {
  if (value === undefined) return undefined;
  const length = characters(value);
  if (length <= MAX_STORED_LENGTH) return undefined;
  return {
    element_id: elementId,
    message: `The ${what} of '${shortened(elementId)}' has ${length} characters; at most ${MAX_STORED_LENGTH} can be stored`,
  };
}

export function storedLengthProblems(model: ProcessModel): Problem[] {
  const problems: Problem[] = [];
  const check = (elementId: string, what: string, value: string | undefined): void => {
    const problem = tooLongToStore(elementId, what, value);
    if (problem) problems.push(problem);
  };
  const checkLiteral = (elementId: string, what: string, expression: Expression | undefined): void =>
    check(elementId, what, expression?.literal);

  check(model.id, 'id', model.id);
  check(model.id, 'name', model.name);
  check(model.id, 'version tag', model.versionTag);
  check(model.id, 'start form key', model.startForm?.key);
  check(model.id, 'camunda:initiator variable name', model.initiatorVariable);
  for (const flow of model.flows.values()) check(flow.id, 'id', flow.id);
  for (const node of model.elements.values()) {
    check(node.id, 'id', node.id);
    check(node.id, 'name', node.name);
    const event = node.eventDefinition;
    if (event.kind === 'message') checkLiteral(node.id, 'message name', event.messageName);
    if (event.kind === 'signal') checkLiteral(node.id, 'signal name', event.signalName);
    checkLiteral(node.id, 'topic', node.externalTask?.topic);
    const variables = [
      ...node.inputs, ...node.outputs, ...(node.calledElement?.inputs ?? []), ...(node.calledElement?.outputs ?? []),
    ].map((mapping) => mapping.target);
    variables.push(...[node.script?.resultVariable, node.multiInstance?.elementVariable, node.multiInstance?.outputCollection].filter((name) => name !== undefined));
    for (const variable of variables) check(node.id, 'variable name', variable);
    const task = node.userTask;
    if (task === undefined) continue;
    check(node.id, 'form key', task.formKey);
    checkLiteral(node.id, 'assignee', task.assignee);
    for (const candidate of [...task.candidateUsers, ...task.candidateGroups]) checkLiteral(node.id, 'candidate', candidate);
  }
  return problems;
}
