// `{{secrets.NAME}}` in a connector's URL, headers or body: the request is stored with the placeholder
// (in the job row) and the value is put in only for the call, so it is never written, logged or shown.
// Whatever the call yields (its answer, an error) has each value put back as its placeholder, so that
// a service that echoes a credential does not carry it into variables, history or an incident.
import type { HttpConnectorSpec } from './http-connector-spec.js';
import type { HttpRequest } from './http-connector.js';

export type SecretSource = (name: string) => string | undefined;

/** SECRET_<NAME> of the process's environment, read at call time */
export const environmentSecrets: SecretSource = (name) => process.env[`SECRET_${name}`];

/** a placeholder as written, and as a URL keeps it once parsed (percent-encoded in the path or a query parameter) */
const PLACEHOLDER = /\{\{secrets\.([A-Za-z0-9_]+)\}\}/g;
const URL_PLACEHOLDER = /(?:\{\{|%7B%7B)secrets\.([A-Za-z0-9_]+)(?:\}\}|%7D%7D)/gi;

/** a placeholder whose secret cannot be put in: it has no value, or the model does not name it */
export class SecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretError';
  }
}

/**
 * The secrets a connector's model names in the text of its URL, headers, query or body. Only these are
 * put in: a placeholder that reaches the request through a variable's value (a form field, a start
 * variable) must not pull a secret the model never meant to send into a call.
 */
export function secretNamesOf(spec: HttpConnectorSpec): ReadonlySet<string> {
  const sources = [spec.url, spec.headers, spec.query, spec.body].flatMap((expression) => (expression === undefined ? [] : [expression.source]));
  return new Set(sources.flatMap((source) => [...source.matchAll(PLACEHOLDER)].map((match) => match[1]!)));
}

export interface ResolvedRequest {
  request: HttpRequest;
  /** the text with every secret value of the request put back as its placeholder */
  redact(text: string): string;
}

/**
 * Throws SecretError naming the first placeholder whose secret has no value or, when `named` is given,
 * is not among those named.
 */
export function resolveSecrets(request: HttpRequest, source: SecretSource, named?: ReadonlySet<string>): ResolvedRequest {
  const used = new Map<string, string>();
  const value = (name: string): string => {
    if (named !== undefined && !named.has(name)) throw new SecretError(`the secret '${name}' is not named in the connector's model, only in a value`);
    const secret = used.get(name) ?? source(name);
    if (secret === undefined || secret === '') throw new SecretError(`the secret '${name}' is not set`);
    used.set(name, secret);
    return secret;
  };
  const fill = (text: string) => text.replace(PLACEHOLDER, (_, name: string) => value(name));
  const resolved: HttpRequest = {
    ...request,
    url: request.url.replace(URL_PLACEHOLDER, (_, name: string) => encodeURIComponent(value(name))),
    headers: Object.fromEntries(Object.entries(request.headers).map(([name, text]) => [name, fill(text)])),
    ...(request.body === undefined ? {} : { body: fill(request.body) }),
  };
  const values = [...used].flatMap(([name, secret]) => [[secret, name], [encodeURIComponent(secret), name]] as const);
  return {
    request: resolved,
    redact: (text) => values.reduce((out, [secret, name]) => out.replaceAll(secret, `{{secrets.${name}}}`), text),
  };
}
