// Random and mutated requests for the fuzz test: models from bpmn-fixtures/ cut, spliced and salted with
// hostile text, and JSON bodies and query strings whose fields get values no client should send. The
// generator is seeded, so a failing case comes back on every run.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { InjectOptions } from 'fastify';
import { API_PREFIX } from '../src/app.js';
import { multipart } from './support.js';

/** mulberry32: a small, fast, seedable generator, good enough to pick cases */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export class Picker {
  readonly #random: () => number;
  constructor(seed: number) {
    this.#random = seededRandom(seed);
  }
  below(n: number): number {
    return Math.floor(this.#random() * n);
  }
  one<T>(items: readonly T[]): T {
    return items[this.below(items.length)]!;
  }
  chance(p: number): boolean {
    return this.#random() < p;
  }
}

/** Values that once reached the database or the expression evaluator unchecked. */
const HOSTILE_STRINGS = [
  'a\u0000b', '\u0000', 'x'.repeat(256), 'é'.repeat(300), 'y'.repeat(5000), '', ' ', '💥'.repeat(200),
  '0000-01-01T00:00:00Z', '9999-12-31T23:59:59-23:59', '+275760-09-13T00:00:00Z', '-000001-01-01T00:00:00Z',
  '2026-02-30T00:00:00Z', '${a.b()}', '=for x in 1..1000000000 return x', '<!DOCTYPE x>', "'; DROP TABLE x; --",
  '%00', '\ud800', 'P999999999Y', 'R/PT0S', '../../etc/passwd', '__proto__',
];
const HOSTILE_VALUES: readonly unknown[] = [
  ...HOSTILE_STRINGS, -1, 0, 2 ** 31, 2 ** 53 + 1, 1e308, -1e308, 0.5, true, null, [], {}, [[[[]]]],
  { value: 'a\u0000b' }, { __proto__: { x: 1 } }, Array.from({ length: 300 }, (_, i) => `item-${i}`), { 'k\u0000': 1 },
];

const hostileString = (pick: Picker): string => pick.one(HOSTILE_STRINGS);
const hostileValue = (pick: Picker): unknown => pick.one(HOSTILE_VALUES);

/** Every .bpmn file of the repository's fixtures, as text. */
/** every `.bpmn` file below `root` (or of another `extension`) */
export function fixtureModels(root: string, extension = '.bpmn'): string[] {
  const files: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.name.endsWith(extension)) files.push(path);
    }
  };
  walk(root);
  return files.sort().map((file) => readFileSync(file, 'utf8'));
}

/** One mutation of a model's text: a cut, a splice, or hostile text in an attribute or between tags. */
function mutateModel(xml: string, pick: Picker): string {
  const at = pick.below(xml.length);
  switch (pick.below(7)) {
    case 0:
      return xml.slice(0, at);
    case 1:
      return xml.slice(0, at) + xml.slice(Math.min(xml.length, at + 1 + pick.below(200)));
    case 2: {
      const from = pick.below(xml.length);
      return xml.slice(0, at) + xml.slice(from, from + pick.below(400)) + xml.slice(at);
    }
    case 3:
      return xml.slice(0, at) + hostileString(pick) + xml.slice(at);
    case 4: {
      // an attribute value (an id, a name, an expression) replaced by hostile text, escaped as XML would be
      const attributes = [...xml.matchAll(/="([^"]*)"/g)];
      if (attributes.length === 0) return xml;
      const match = pick.one(attributes);
      const value = hostileString(pick).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
      return xml.slice(0, match.index! + 2) + value + xml.slice(match.index! + 2 + match[1]!.length);
    }
    case 5:
      return xml.replace(/<(\/?)bpmn:(\w+)/, (_all, slash: string) => `<${slash}bpmn:${pick.one(['task', 'fancyTask', 'process', 'definitions'])}`);
    default:
      return xml.replace(/(<bpmn:userTask|<bpmn:serviceTask|<bpmn:task)\b/, `$1 name="${'n'.repeat(200 + pick.below(200))}"`);
  }
}

export type FuzzRequest = Pick<InjectOptions, 'method' | 'payload' | 'headers'> & { url: string };

/** A deployment of a mutated fixture, as JSON, raw XML or multipart (sometimes cut or with a bad boundary). */
/** `field`: what a JSON body names the model: `bpmn_xml`, or `dmn_xml` for a DMN file */
export function mutatedDeployment(models: readonly string[], pick: Picker, url: string, field = 'bpmn_xml'): FuzzRequest {
  let xml = pick.one(models);
  for (let n = 1 + pick.below(3); n > 0; n--) xml = mutateModel(xml, pick);
  switch (pick.below(4)) {
    case 0:
      return { method: 'POST', url, payload: { [field]: xml, name: pick.chance(0.2) ? hostileString(pick) : 'fuzz' } };
    case 1:
      return { method: 'POST', url, payload: xml, headers: { 'content-type': pick.one(['application/xml', 'text/xml']) } };
    default: {
      const form = multipart([{ name: pick.one(['file', 'data', 'other']), value: xml, filename: 'model.bpmn' }, { name: 'name', value: hostileString(pick) }]);
      let payload = form.payload;
      let contentType = form.headers['content-type'];
      if (pick.chance(0.5)) payload = payload.subarray(0, pick.below(payload.length));
      if (pick.chance(0.2)) contentType = pick.one(['multipart/form-data', 'multipart/form-data; boundary=', 'multipart/form-data; boundary=nothere', 'multipart/mixed; boundary=x']);
      return { method: 'POST', url, payload, headers: { 'content-type': contentType } };
    }
  }
}

/** A copy of `value` with one field somewhere inside it (or the whole) replaced, removed or added. */
function mutateJson(value: unknown, pick: Picker): unknown {
  if (value === null || typeof value !== 'object' || pick.chance(0.15)) return hostileValue(pick);
  const copy: Record<string, unknown> | unknown[] = Array.isArray(value) ? [...value] : { ...(value as Record<string, unknown>) };
  const keys = Object.keys(copy);
  if (keys.length === 0 || pick.chance(0.15)) {
    (copy as Record<string, unknown>)[pick.one(['extra', 'a\u0000', 'x'.repeat(300), '__proto__', 'value'])] = hostileValue(pick);
    return copy;
  }
  const key = pick.one(keys);
  if (pick.chance(0.1)) delete (copy as Record<string, unknown>)[key];
  else (copy as Record<string, unknown>)[key] = mutateJson((copy as Record<string, unknown>)[key], pick);
  return copy;
}

/** The text of a JSON body, sometimes cut, doubled or with a byte changed. */
function mutateText(text: string, pick: Picker): string {
  const at = pick.below(text.length + 1);
  switch (pick.below(4)) {
    case 0:
      return text.slice(0, at);
    case 1:
      return text.slice(0, at) + String.fromCharCode(pick.below(256)) + text.slice(at + 1);
    case 2:
      return text.slice(0, at) + '\\u0000' + text.slice(at);
    default:
      return '['.repeat(100) + text;
  }
}

/** Request templates: a valid request of each kind, whose body or query the fuzzer then spoils. */
export interface Targets {
  definitionKey: string;
  instanceId: string;
  taskId: string;
}

const LIST_QUERIES: Record<string, readonly string[]> = {
  '/definitions': ['key', 'latest', 'category', 'suspended', 'tenant_id', 'name', 'limit', 'offset', 'sort'],
  '/instances': ['status', 'process_definition_key', 'process_definition_id', 'business_key', 'tenant_id', 'started_after', 'started_before', 'super_instance_id', 'limit', 'sort'],
  '/tasks': ['assignee', 'candidate_user', 'candidate_group', 'unassigned', 'process_instance_id', 'process_definition_key', 'task_definition_key', 'status', 'due_before', 'tenant_id'],
  '/external-tasks': ['topic_name', 'locked', 'process_instance_id', 'activity_id'],
  '/jobs': ['process_instance_id', 'type', 'failed'],
  '/incidents': ['status', 'incident_type', 'process_instance_id', 'process_definition_id'],
  '/statistics': ['from', 'to', 'process_definition_key'],
  '/decisions': ['key', 'latest', 'tenant_id', 'decision_requirements_key', 'limit', 'offset', 'sort'],
  '/decision-instances': ['decision_key', 'decision_id', 'process_instance_id', 'root_only', 'evaluated_after', 'evaluated_before', 'limit', 'sort'],
};

export function spoiledQuery(pick: Picker, prefix: string): FuzzRequest {
  const path = pick.one(Object.keys(LIST_QUERIES));
  const params = new URLSearchParams();
  for (let n = 1 + pick.below(3); n > 0; n--) params.append(pick.one(LIST_QUERIES[path]!), hostileString(pick));
  const query = pick.chance(0.1) ? `x=%00&y=%ZZ&${params}` : params.toString();
  return { method: 'GET', url: `${prefix}${path}?${query}` };
}

export function spoiledCommand(pick: Picker, prefix: string, targets: Targets): FuzzRequest {
  const { definitionKey, instanceId, taskId } = targets;
  const variables = { amount: { value: 5 }, note: { value: 'text', type: 'String' } };
  const templates: readonly [string, string, unknown][] = [
    ['POST', '/instances', { process_definition_key: definitionKey, business_key: 'B-1', variables, started_by: 'fuzz' }],
    ['POST', '/messages', { message_name: 'ping', business_key: 'B-1', correlation_keys: { amount: 5 }, variables }],
    ['POST', '/signals', { signal_name: 'go', variables }],
    ['POST', '/conditions', { variables, business_key: 'B-1' }],
    ['POST', '/decisions/evaluate', { decision_key: 'dish', variables: { season: { value: 'Fall' }, guestCount: { value: 4 } } }],
    ['PUT', `/instances/${instanceId}/variables`, [{ variable_name: 'amount', value: 6 }]],
    ['PUT', `/instances/${instanceId}/suspended`, { suspended: false }],
    ['POST', '/migrations', { target_definition_id: instanceId, process_instance_ids: [instanceId], instructions: [{ source_activity_id: 'a', target_activity_id: 'b' }] }],
    ['POST', `/instances/${instanceId}/modification`, { instructions: [{ type: 'start_before_activity', activity_id: 'review', variables }, { type: 'cancel', activity_id: 'review' }], annotation: 'fuzz' }],
    ['POST', `/tasks/${taskId}/claim`, { user_id: 'alice' }],
    ['POST', '/external-tasks/fetch-and-lock', { worker_id: 'w', max_tasks: 1, topics: [{ topic_name: 'charge', lock_duration: 1000, business_key: 'B-1' }] }],
    ['PUT', `/definitions/${instanceId}`, { name: 'renamed' }],
    ['POST', `/instances/${pick.one(['not-an-id', instanceId, '%00', 'x'.repeat(300)])}/suspended`, { suspended: true }],
  ];
  const [method, path, body] = pick.one(templates);
  const spoiled = mutateJson(body, pick);
  const text = JSON.stringify(spoiled) ?? 'null';
  const payload = pick.chance(0.2) ? mutateText(text, pick) : text;
  return { method: method as FuzzRequest['method'], url: `${prefix}${path}`, payload, headers: { 'content-type': 'application/json' } };
}

/** A start of each deployed definition, with hostile values in the variables its expressions may read. */
export function startsOf(definitions: readonly { id: string }[], pick: Picker): FuzzRequest[] {
  return definitions.map(({ id }) => {
    const variables = Object.fromEntries(['amount', 'approved', 'items', 'orderId', 'who', 'n', 'v'].map((name) => [name, { value: hostileValue(pick) }]));
    return { method: 'POST', url: `${API_PREFIX}/instances`, payload: { process_definition_id: id, variables }, headers: { 'content-type': 'application/json' } };
  });
}
