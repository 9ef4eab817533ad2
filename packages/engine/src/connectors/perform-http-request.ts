// Making the connector's call: its secrets put in, its URL checked against the allow-list, its host's
// addresses checked as the connection is made, and nothing of the secrets in what comes back. Redirects
// are not followed: a 3xx answer is the call's result (its Location among the headers), so that no
// request goes where the allow-list was not asked.
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { context, propagation, SpanKind } from '@opentelemetry/api';
import { inSpan } from '../observability/tracing.js';
import { checkedLookup, RefusedCallError, refusedAddress, type HostResolver } from './checked-lookup.js';
import { resolveSecrets, SecretError, type ResolvedRequest, type SecretSource } from './connector-secrets.js';
import { HttpCallError } from './http-call-error.js';
import { excerpt, type HttpRequest, type HttpResult } from './http-connector.js';
import { isNonPublicAddress } from './non-public-addresses.js';
import { permission, type AllowedUrl } from './url-allow-list.js';

/** how much of an error response's body the HttpCallError quotes: enough to see what the service said */
const ERROR_EXCERPT_LENGTH = 200;

/** what a call may reach, and where its secrets and addresses come from */
export interface HttpCallPolicy {
  readonly allowList: readonly AllowedUrl[];
  readonly secrets: SecretSource;
  readonly resolve: HostResolver;
}

export interface CallOptions {
  /** aborts the call: its outcome would no longer be recorded */
  cancel?: AbortSignal;
  /** the only secrets that may be put in (those the model names); absent: any */
  secretNames?: ReadonlySet<string>;
}

interface Answer {
  status: number;
  statusText: string;
  headers: IncomingHttpHeaders;
  text: string;
}

/**
 * Performs the call; throws HttpCallError when it is refused (no allowed URL covers it, a host at an
 * address its entry may not reach, a secret without a value), on a network failure, a timeout, a status
 * of 400 or more, or when `cancel` aborts it. Messages name the request as stored, placeholders and all.
 */
export async function performHttpRequest(request: HttpRequest, policy: HttpCallPolicy, options: CallOptions = {}): Promise<HttpResult> {
  const { cancel, secretNames } = options;
  const call = `${request.method} ${request.url}`;
  // the placeholders can only be in the path or query, percent-encoded once filled: the origin checked is the one called
  const stored = new URL(request.url);
  const allowed = permission(policy.allowList, stored);
  if (!allowed.allowed) throw new HttpCallError(`${call} is refused: it is under none of the connector's allowed URLs`);
  // a literal address is connected to without a lookup
  const host = stored.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!allowed.anyAddress && isIP(host) && isNonPublicAddress(host)) throw new HttpCallError(`${call} is refused: ${refusedAddress(host, host).message}`);
  let resolved: ResolvedRequest;
  try {
    resolved = resolveSecrets(request, policy.secrets, secretNames);
  } catch (e) {
    if (e instanceof SecretError) throw new HttpCallError(`${call} failed: ${e.message}`);
    throw e;
  }
  const url = new URL(resolved.request.url);

  const timeout = AbortSignal.timeout(request.timeout_ms);
  const signal = cancel ? AbortSignal.any([timeout, cancel]) : timeout;
  let answer: Answer;
  try {
    // the timeout covers reading the body too: a service that stalls halfway is no better than a silent one
    answer = await inSpan(`HTTP ${request.method}`, {
      kind: SpanKind.CLIENT, attributes: { 'http.request.method': request.method, 'server.address': url.hostname },
    }, () => send(url, resolved.request, checkedLookup(policy.resolve, !allowed.anyAddress), signal));
  } catch (cause) {
    if (cause instanceof RefusedCallError) throw new HttpCallError(`${call} is refused: ${cause.message}`);
    const why = timeout.aborted ? `no answer within ${request.timeout_ms / 1000} s` : cancel?.aborted ? 'cancelled' : networkFailure(cause);
    throw new HttpCallError(`${call} failed: ${resolved.redact(why)}`, { cause });
  }
  const text = resolved.redact(answer.text);
  if (answer.status >= 400) {
    const said = excerpt(text.replace(/\s+/g, ' ').trim(), ERROR_EXCERPT_LENGTH);
    const status = `${answer.status}${answer.statusText === '' ? '' : ` ${answer.statusText}`}`;
    throw new HttpCallError(`${call} answered ${status}${said === '' ? '' : `: ${said}`}`, { status: answer.status });
  }
  const headers = Object.fromEntries(Object.entries(answer.headers).map(([name, value]) => [name, resolved.redact(headerText(value))]));
  return { status: answer.status, headers, body: responseBody(text, headers['content-type'] ?? null) };
}

/** one request on a connection of its own, so that no pooled connection made under other rules is reused */
function send(url: URL, request: HttpRequest, lookup: LookupFunction, signal: AbortSignal): Promise<Answer> {
  const sized = request.body === undefined || Object.keys(request.headers).some((name) => name.toLowerCase() === 'content-length');
  const headers = sized ? { ...request.headers } : { ...request.headers, 'content-length': String(Buffer.byteLength(request.body!)) };
  // the call belongs to the job's trace: the service called may go on with it (nothing is added while tracing is off)
  propagation.inject(context.active(), headers);
  const client = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = client(url, { method: request.method, headers, lookup, signal, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => resolve({
        status: response.statusCode ?? 0, statusText: response.statusMessage ?? '', headers: response.headers,
        text: Buffer.concat(chunks).toString('utf8'),
      }));
    });
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

function headerText(value: string | string[] | undefined): string {
  return Array.isArray(value) ? value.join(', ') : value ?? '';
}

function networkFailure(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.cause instanceof Error ? `${error.message} (${error.cause.message})` : error.message;
}

/**
 * A JSON body is parsed so that mappings can reach into it (FEEL has no JSON parser); one that does
 * not parse is kept as text rather than failing a call that succeeded.
 */
function responseBody(text: string, contentType: string | null): unknown {
  if (text === '') return null;
  const media = contentType?.split(';')[0]!.trim().toLowerCase();
  if (media !== 'application/json' && !media?.endsWith('+json')) return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
