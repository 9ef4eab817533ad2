// The built-in HTTP connector, in three steps that the job system runs apart: the request is built from
// the task's variables when the task is entered (and stored with the job), the call is made by a job
// runner (perform-http-request.ts), and its result becomes variables when the task completes.
import { evaluateExpression } from '../expressions/evaluate.js';
import type { Expression } from '../expressions/expression.js';
import { ExpressionError } from '../expressions/expression-error.js';
import type { HttpConnectorSpec } from './http-connector-spec.js';

/** the request, evaluated from the task's variables when the task is entered; JSON-serialisable (it is stored in the job row) */
export interface HttpRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeout_ms: number;
}

export interface HttpResult {
  status: number;
  /** names in lower case */
  headers: Record<string, string>;
  /** parsed when the content type is JSON (application/json or …+json), else the text; null when empty */
  body: unknown;
}

const METHODS: readonly string[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const DEFAULT_TIMEOUT_SECONDS = 20;
/** timers longer than about 24 days fire at once in Node, so timeouts are kept well below that */
const MAX_TIMEOUT_SECONDS = 86_400;

/** Throws ExpressionError, naming the expression, when a value cannot make a request. */
export function buildHttpRequest(spec: HttpConnectorSpec, evaluate: (expression: Expression) => unknown): HttpRequest {
  const request: HttpRequest = {
    url: requestUrl(spec, evaluate),
    method: requestMethod(spec.method, evaluate),
    headers: spec.headers === undefined ? {} : requestHeaders(spec.headers, evaluate(spec.headers)),
    timeout_ms: timeoutMs(spec.timeoutSeconds, evaluate),
  };
  if (spec.body === undefined) return request;
  const body = evaluate(spec.body);
  if (body === null || body === undefined) return request;
  if (request.method === 'GET' || request.method === 'HEAD') throw invalid(spec.body, 'body', `is set, but a ${request.method} request cannot have a body`);
  if (typeof body === 'string') return { ...request, body };
  const typed = Object.keys(request.headers).some((name) => name.toLowerCase() === 'content-type');
  return { ...request, headers: typed ? request.headers : { ...request.headers, 'content-type': 'application/json' }, body: JSON.stringify(body) };
}

function requestUrl(spec: HttpConnectorSpec, evaluate: (expression: Expression) => unknown): string {
  const value = evaluate(spec.url);
  const url = typeof value === 'string' && URL.canParse(value) ? new URL(value) : undefined;
  if (url === undefined || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw invalid(spec.url, 'url', `yields ${shown(value)}, which is not an http or https URL`);
  }
  // fetch refuses such URLs; saying so here names the expression to fix
  if (url.username !== '' || url.password !== '') {
    throw invalid(spec.url, 'url', 'gives a URL with credentials; send them in an Authorization header instead');
  }
  if (spec.query === undefined) return url.href;
  for (const [name, entry] of Object.entries(context(spec.query, 'query parameters', evaluate(spec.query)))) {
    for (const item of Array.isArray(entry) ? entry : [entry]) {
      if (item === null) continue;
      const text = scalarText(item);
      if (text === undefined) throw invalid(spec.query, 'query parameters', `yield ${shown(entry)} for '${name}', which is neither text, a number, a boolean nor a list of them`);
      url.searchParams.append(name, text);
    }
  }
  return url.href;
}

function requestMethod(expression: Expression | undefined, evaluate: (expression: Expression) => unknown): string {
  if (expression === undefined) return 'GET';
  const value = evaluate(expression);
  const method = typeof value === 'string' ? value.trim().toUpperCase() : undefined;
  if (method === undefined || !METHODS.includes(method)) throw invalid(expression, 'method', `yields ${shown(value)}, which is not one of ${METHODS.join(', ')}`);
  return method;
}

function requestHeaders(expression: Expression, value: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, entry] of Object.entries(context(expression, 'headers', value))) {
    if (entry === null) continue;
    const text = scalarText(entry);
    if (text === undefined) throw invalid(expression, 'headers', `yield ${shown(entry)} for '${name}', which is neither text, a number nor a boolean`);
    headers[name] = text;
  }
  try {
    new Headers(headers);
  } catch (cause) {
    throw invalid(expression, 'headers', `cannot be sent: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
  return headers;
}

function timeoutMs(expression: Expression | undefined, evaluate: (expression: Expression) => unknown): number {
  if (expression === undefined) return DEFAULT_TIMEOUT_SECONDS * 1000;
  const value = evaluate(expression);
  // Zeebe's connector form writes the number of seconds as text
  const seconds = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof seconds !== 'number' || !(seconds > 0 && seconds <= MAX_TIMEOUT_SECONDS)) {
    throw invalid(expression, 'timeout', `yields ${shown(value)}, which is not a number of seconds above 0 and at most ${MAX_TIMEOUT_SECONDS}`);
  }
  return Math.ceil(seconds * 1000);
}

function context(expression: Expression, what: string, value: unknown): Readonly<Record<string, unknown>> {
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalid(expression, what, `yield ${shown(value)}, which is not a context`);
  return value as Record<string, unknown>;
}

function scalarText(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : undefined;
}

function invalid(expression: Expression, what: string, problem: string): ExpressionError {
  return new ExpressionError(`The HTTP ${what} '${expression.source}' ${problem}`, { expression: expression.source });
}

function shown(value: unknown): string {
  return excerpt(JSON.stringify(value) ?? 'null', 100);
}

export function excerpt(text: string, length: number): string {
  return text.length <= length ? text : `${text.slice(0, length)}…`;
}

/**
 * The variables the task completes with: Camunda 7 output parameters over `response` (the body),
 * `statusCode` and `headers`; Camunda 8's resultVariable (the whole result) and resultExpression.
 * Throws ExpressionError when a mapping cannot be evaluated.
 */
export function resultVariables(spec: HttpConnectorSpec, result: HttpResult): Map<string, unknown> {
  const variables = new Map<string, unknown>();
  const camunda7 = { response: result.body, statusCode: result.status, headers: result.headers };
  for (const { source, target } of spec.outputs) variables.set(target, evaluateExpression(source, camunda7));
  const response = { status: result.status, headers: result.headers, body: result.body };
  if (spec.resultVariable !== undefined) variables.set(spec.resultVariable, response);
  if (spec.resultExpression === undefined) return variables;
  // Camunda 8's examples use both `body.x` and `response.body.x`
  const value = evaluateExpression(spec.resultExpression, { ...response, response });
  if (value === null) return variables;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ExpressionError(`The result expression '${spec.resultExpression.source}' yields ${shown(value)}, which is not a context`, {
      expression: spec.resultExpression.source,
    });
  }
  for (const [name, entry] of Object.entries(value)) variables.set(name, entry);
  return variables;
}
