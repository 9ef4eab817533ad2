// `{{secrets.NAME}}` in a connector's URL, headers or body: the request is stored with the placeholder
// (in the job row) and the value is put in only for the call, so it is never written, logged or shown.
// Whatever the call yields (its answer, an error) has each value put back as its placeholder, so that
// a service that echoes a credential does not carry it into variables, history or an incident.
import type { HttpRequest } from './http-connector.js';

export type SecretSource = (name: string) => string | undefined;

/** SECRET_<NAME> of the process's environment, read at call time */
export const environmentSecrets: SecretSource = (name) => process.env[`SECRET_${name}`];

/** a placeholder as written, and as a URL keeps it once parsed (percent-encoded in the path or a query parameter) */
const PLACEHOLDER = /\{\{secrets\.([A-Za-z0-9_]+)\}\}/g;
const URL_PLACEHOLDER = /(?:\{\{|%7B%7B)secrets\.([A-Za-z0-9_]+)(?:\}\}|%7D%7D)/gi;

export class MissingSecretError extends Error {
  constructor(readonly secretName: string) {
    super(`the secret '${secretName}' is not set`);
    this.name = 'MissingSecretError';
  }
}

export interface ResolvedRequest {
  request: HttpRequest;
  /** the text with every secret value of the request put back as its placeholder */
  redact(text: string): string;
}

/** Throws MissingSecretError naming the first placeholder whose secret has no value. */
export function resolveSecrets(request: HttpRequest, source: SecretSource): ResolvedRequest {
  const used = new Map<string, string>();
  const value = (name: string): string => {
    const secret = used.get(name) ?? source(name);
    if (secret === undefined || secret === '') throw new MissingSecretError(name);
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
