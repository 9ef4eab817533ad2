// Forms deployed beside a process (form-js JSON files, as Camunda 8 and Camunda 7's Camunda Forms deploy
// them): stored as versions of their id per tenant, and resolved for the elements that link to them when
// the process is deployed. A link is fixed from then on: a definition shows and checks the form version
// chosen for it, whatever is deployed later.
import { createHash } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Problem } from '../errors.js';
import { invalidBpmn } from '../errors.js';
import { formJsFields } from '../model/extensions/form-js.js';
import type { FormLink, ProcessModel } from '../model/process-model.js';
import { deepFreeze } from '../model/deep-freeze.js';
import type { Database, Row } from '../persistence/database.js';
import { newId } from '../util/ids.js';

export interface FormFile {
  formId: string;
  versionTag?: string;
  text: string;
  hash: string;
}

/** The form files of a deployment, read; a 422 naming each one that is no form-js form with an id. */
export function readFormFiles(texts: readonly string[]): FormFile[] {
  const problems: Problem[] = [];
  const files = texts.flatMap((text, i): FormFile[] => {
    let schema: unknown;
    try {
      schema = JSON.parse(text);
    } catch {
      problems.push({ element_id: null, message: `Form ${i + 1} of the deployment is not JSON` });
      return [];
    }
    const { id, versionTag, components } = (typeof schema === 'object' && schema !== null ? schema : {}) as Record<string, unknown>;
    if (typeof id !== 'string' || id.trim() === '' || id.length > 255 || !Array.isArray(components)) {
      problems.push({ element_id: null, message: `Form ${i + 1} of the deployment is no form-js form: it needs an "id" (at most 255 characters) and "components"` });
      return [];
    }
    return [{ formId: id, text, hash: createHash('sha256').update(text).digest('hex'), ...(typeof versionTag === 'string' ? { versionTag } : {}) }];
  });
  if (problems.length) throw invalidBpmn(problems);
  const ids = files.map((f) => f.formId);
  const twice = ids.filter((id, i) => ids.indexOf(id) !== i);
  if (twice.length) throw invalidBpmn([{ element_id: null, message: `The deployment holds the form '${twice[0]}' twice` }]);
  return files;
}

type StoredForm = Pick<Row<'forms'>, 'id' | 'form_key' | 'version' | 'version_tag' | 'deployment_id'>;

const ofTenant = <Q extends { where: (...args: any[]) => Q }>(query: Q, tenantId: string | null): Q =>
  tenantId === null ? query.where('tenant_id', 'is', null) : query.where('tenant_id', '=', tenantId);

/**
 * Stores each form as the next version of its id, unless it is the same as the latest version, which it
 * then stands for in this deployment too. Run under the deployment lock.
 */
export async function storeForms(trx: Transaction<Database>, files: readonly FormFile[], deploymentId: string, tenantId: string | null, now: Date): Promise<StoredForm[]> {
  const stored: StoredForm[] = [];
  for (const file of files) {
    const latest = await ofTenant(trx.selectFrom('forms').select(['id', 'form_key', 'version', 'version_tag', 'deployment_id', 'resource_hash']).where('form_key', '=', file.formId), tenantId)
      .orderBy('version', 'desc').limit(1).executeTakeFirst();
    if (latest?.resource_hash === file.hash) {
      stored.push(latest);
      continue;
    }
    const row = {
      id: newId(), form_key: file.formId, version: (latest?.version ?? 0) + 1, version_tag: file.versionTag ?? null,
      deployment_id: deploymentId, tenant_id: tenantId, schema: file.text, resource_hash: file.hash, deployed_at: now,
    };
    await trx.insertInto('forms').values(row).execute();
    stored.push(row);
  }
  return stored;
}

/** The form links of a process: element id → link. */
function formLinks(model: ProcessModel): Map<string, FormLink> {
  const links = new Map<string, FormLink>();
  for (const node of model.elements.values()) if (node.userTask?.formLink) links.set(node.id, node.userTask.formLink);
  if (model.startForm?.link && model.noneStartEvent) links.set(model.noneStartEvent, model.startForm.link);
  return links;
}

/**
 * The form each link of the process names, as element id → form id; a 422 naming each element whose form
 * is found neither in the deployment nor (unless bound to the deployment) among those deployed before.
 */
export async function resolveFormLinks(trx: Transaction<Database>, model: ProcessModel, deployed: readonly StoredForm[], tenantId: string | null): Promise<Record<string, string>> {
  const resolved: Record<string, string> = {};
  const problems: Problem[] = [];
  for (const [elementId, link] of formLinks(model)) {
    const form = await findForm(trx, link, deployed, tenantId);
    if (form) resolved[elementId] = form.id;
    else problems.push({ element_id: elementId, message: `The form '${link.formId}' that '${elementId}' links to (${describeBinding(link)}) is not deployed: deploy its .form file with the process` });
  }
  if (problems.length) throw invalidBpmn(problems);
  return resolved;
}

function describeBinding(link: FormLink): string {
  if (link.binding === 'version') return `version ${link.version}`;
  if (link.binding === 'versionTag') return `version tag '${link.versionTag}'`;
  return link.binding === 'deployment' ? 'bound to its deployment' : 'its latest version';
}

async function findForm(trx: Transaction<Database>, link: FormLink, deployed: readonly StoredForm[], tenantId: string | null): Promise<StoredForm | undefined> {
  const here = deployed.find((form) => form.form_key === link.formId);
  if (link.binding === 'deployment' || (link.binding === 'latest' && here)) return here;
  let query = ofTenant(trx.selectFrom('forms').select(['id', 'form_key', 'version', 'version_tag', 'deployment_id']).where('form_key', '=', link.formId), tenantId);
  if (link.binding === 'version') query = query.where('version', '=', link.version!);
  if (link.binding === 'versionTag') query = query.where('version_tag', '=', link.versionTag!);
  return query.orderBy('version', 'desc').limit(1).executeTakeFirst();
}

/** The model with the schema and fields of each linked form in place, frozen as every model is. */
export async function withLinkedForms(db: Kysely<Database>, model: ProcessModel, linked: string | null): Promise<ProcessModel> {
  const links: Record<string, string> = linked ? JSON.parse(linked) : {};
  const formIds = [...new Set(Object.values(links))];
  if (!formIds.length) return model;
  const rows = await db.selectFrom('forms').select(['id', 'schema']).where('id', 'in', formIds).execute();
  const schemas = new Map(rows.map((row) => [row.id, JSON.parse(row.schema) as Record<string, unknown>]));
  const formOf = (elementId: string) => {
    const schema = schemas.get(links[elementId] ?? '');
    return schema && { schema, fields: formJsFields(schema) };
  };
  const elements = new Map([...model.elements].map(([id, node]) => {
    const form = node.userTask && formOf(id);
    return [id, form ? { ...node, userTask: { ...node.userTask!, formSchema: form.schema, formFields: form.fields } } : node];
  }));
  const start = model.startForm && model.noneStartEvent ? formOf(model.noneStartEvent) : undefined;
  return deepFreeze({
    ...model,
    elements,
    ...(start ? { startForm: { ...model.startForm!, schema: start.schema, fields: start.fields } } : {}),
  });
}
