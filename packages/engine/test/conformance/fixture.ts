// A conformance fixture: `<area>/<name>.trace.json` beside `<name>.bpmn` (format in bpmn-fixtures/README.md).
// Loading checks the format strictly, so that a misspelt key fails the fixture instead of asserting nothing.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { STEP_KEYS, type Step, type StepKind } from './step-types.js';

export const FIXTURES_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../../../bpmn-fixtures');

/** corpus/ and invalid/ hold models that are only deployed, never run */
const NOT_EXECUTABLE = ['corpus', 'invalid'];

export interface Fixture {
  /** path below bpmn-fixtures without `.trace.json`, e.g. `gateways/exclusive-default` */
  name: string;
  title: string;
  /** the model files to deploy, in order: `deploy` entries first, then the fixture's own `.bpmn` */
  models: { file: string; xml: string }[];
  /** process key a `start` step starts when it names none */
  process?: string;
  /** the folder of the trace file, which the files `deploy` steps name are relative to */
  directory: string;
  steps: Step[];
}

export function findFixtures(root = FIXTURES_ROOT): string[] {
  return (readdirSync(root, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.trace.json') && !NOT_EXECUTABLE.includes(f.split(sep)[0]!))
    .map((f) => f.slice(0, -'.trace.json'.length).split(sep).join('/'))
    .sort();
}

export function loadFixture(name: string, root = FIXTURES_ROOT): Fixture {
  const tracePath = join(root, `${name}.trace.json`);
  const raw = JSON.parse(readFileSync(tracePath, 'utf8')) as Record<string, unknown>;
  const where = `${name}.trace.json`;
  checkKeys(raw, ['title', 'process', 'deploy', 'steps'], where);
  if (typeof raw.title !== 'string') throw new Error(`${where}: "title" must be a string`);
  if (raw.process !== undefined && typeof raw.process !== 'string') throw new Error(`${where}: "process" must be a string`);
  if (!Array.isArray(raw.steps) || raw.steps.length === 0) throw new Error(`${where}: "steps" must be a non-empty array`);
  const extra = (raw.deploy ?? []) as unknown;
  if (!Array.isArray(extra) || !extra.every((f) => typeof f === 'string')) throw new Error(`${where}: "deploy" must list file names`);
  const files = [...extra.map((f) => join(dirname(tracePath), f)), join(root, `${name}.bpmn`)];
  return {
    name,
    title: raw.title,
    process: raw.process as string | undefined,
    directory: dirname(tracePath),
    models: files.map((file) => ({ file: relative(root, file), xml: readFileSync(file, 'utf8') })),
    steps: raw.steps.map((step, i) => checkStep(step, `${where} step ${i + 1}`)),
  };
}

function checkStep(step: unknown, where: string): Step {
  if (typeof step !== 'object' || step === null) throw new Error(`${where}: a step is an object`);
  const kinds = Object.keys(step);
  const kind = kinds[0] as StepKind;
  if (kinds.length !== 1 || !(kind in STEP_KEYS)) {
    throw new Error(`${where}: a step has exactly one key, one of ${Object.keys(STEP_KEYS).join(', ')}; got ${kinds.join(', ')}`);
  }
  const args = (step as Record<string, unknown>)[kind];
  if (typeof args !== 'object' || args === null || Array.isArray(args)) throw new Error(`${where}: "${kind}" takes an object`);
  checkKeys(args as Record<string, unknown>, STEP_KEYS[kind], `${where} (${kind})`);
  return step as Step;
}

function checkKeys(obj: Record<string, unknown>, allowed: readonly string[], where: string) {
  const unknown = Object.keys(obj).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new Error(`${where}: unknown key(s) ${unknown.join(', ')}; allowed: ${allowed.join(', ')}`);
}
