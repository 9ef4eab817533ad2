// Values an expression computes at run time that go to columns of bounded type: names of people, groups,
// topics and messages (VARCHAR(255), no NUL), dates (PostgreSQL's years, kept to 1–9999 as the API's
// are) and priorities (INTEGER). One that does not fit is the model's problem, an incident naming the
// element, rather than a failed command.
import { ExpressionError, type Expression } from '../expressions/index.js';

const MAX_TEXT = 255;
const EARLIEST = Date.parse('0001-01-01T00:00:00Z');
const LATEST = Date.parse('9999-12-31T23:59:59.999Z');
const MAX_INT = 2_147_483_647;

const refuse = (expression: Expression, message: string): never => {
  throw new ExpressionError(message, { expression: expression.source });
};

/** text of at most 255 characters without NUL; `what` names it, e.g. "the assignee of 'review'" */
export function storableText(value: string, what: string, expression: Expression): string {
  if (value.includes('\u0000')) refuse(expression, `${what} contains a NUL character (U+0000)`);
  if (value.length > MAX_TEXT && [...value].length > MAX_TEXT) refuse(expression, `${what} has ${[...value].length} characters; at most ${MAX_TEXT} can be stored`);
  return value;
}

export function storableDate(value: Date, what: string, expression: Expression): Date {
  const time = value.getTime();
  if (Number.isNaN(time) || time < EARLIEST || time > LATEST) refuse(expression, `${what} is not a date from the year 1 to 9999: ${JSON.stringify(value)}`);
  return value;
}

export function storableInteger(value: number, what: string, expression: Expression): number {
  if (!Number.isInteger(value) || Math.abs(value) > MAX_INT) refuse(expression, `${what} is not an integer from -${MAX_INT} to ${MAX_INT}: ${JSON.stringify(value)}`);
  return value;
}
