// DMN files deployed on their own or beside processes: each decision of a file becomes the next version of
// its id (per tenant), unless the same file is already its latest version, which then stands for it.
import { createHash } from 'node:crypto';
import type { Transaction } from 'kysely';
import { compileDecisions, type DecisionsDocument } from '../decisions/index.js';
import { invalidDmn, isEngineError, type Problem } from '../errors.js';
import { tooLongToStore } from '../model/stored-lengths.js';
import type { Database, Row } from '../persistence/database.js';
import { newId } from '../util/ids.js';

export interface DecisionFile {
  readonly text: string;
  readonly hash: string;
  readonly document: DecisionsDocument;
}

/** The files, compiled; a 422 naming every problem of every file, and any decision two files hold. */
export async function readDecisionFiles(texts: readonly string[], maxBytes: number): Promise<DecisionFile[]> {
  const problems: Problem[] = [];
  const files: DecisionFile[] = [];
  for (const [i, text] of texts.entries()) {
    if (typeof text !== 'string' || !text.trim()) {
      problems.push({ element_id: null, message: `DMN file ${i + 1} of the deployment is empty` });
      continue;
    }
    try {
      const document = await compileDecisions(text, { maxBytes });
      problems.push(...storedLengths(document));
      files.push({ text, hash: createHash('sha256').update(text).digest('hex'), document });
    } catch (e) {
      if (!isEngineError(e) || e.code !== 'INVALID_DMN') throw e;
      const found = (e.details?.problems ?? []) as Problem[];
      problems.push(...(texts.length === 1 ? found : found.map((p) => ({ ...p, message: `DMN file ${i + 1}: ${p.message}` }))));
    }
  }
  const keys = files.flatMap((file) => file.document.decisions.map((d) => d.id));
  for (const key of new Set(keys.filter((key, i) => keys.indexOf(key) !== i))) {
    problems.push({ element_id: key, message: `The deployment holds the decision '${key}' in two DMN files` });
  }
  if (problems.length) throw invalidDmn(problems);
  return files;
}

/** what of a file goes to columns of bounded width: the ids, names and version tags */
function storedLengths(document: DecisionsDocument): Problem[] {
  return [
    tooLongToStore(document.id, 'id', document.id),
    ...document.decisions.flatMap((d) => [tooLongToStore(d.id, 'id', d.id), tooLongToStore(d.id, 'name', d.name), tooLongToStore(d.id, 'version tag', d.versionTag)]),
  ].filter((problem) => problem !== undefined);
}

export type StoredDecision = Row<'decision_definitions'>;

export interface Deployment {
  readonly id: string;
  readonly tenantId: string | null;
  readonly deployedBy: string;
  readonly now: Date;
}

/**
 * Each decision of the files, as the version that stands for it in this deployment: a new one (in
 * `created`, for the caller to insert once the deployment's row is there), or, when `reuseUnchanged`, the
 * latest if its file is unchanged. A model's deployment deploys its files anew, so that the decisions a
 * business rule task binds to by deployment are in it. Run under the deployment lock, so that versions are
 * numbered one after another.
 */
export async function versionDecisions(
  trx: Transaction<Database>, files: readonly DecisionFile[], deployment: Deployment, reuseUnchanged: boolean,
): Promise<{ rows: StoredDecision[]; created: StoredDecision[] }> {
  const rows: StoredDecision[] = [];
  const created: StoredDecision[] = [];
  for (const file of files) {
    for (const decision of file.document.decisions) {
      let query = trx.selectFrom('decision_definitions').selectAll().where('key', '=', decision.id);
      query = deployment.tenantId === null ? query.where('tenant_id', 'is', null) : query.where('tenant_id', '=', deployment.tenantId);
      const latest = await query.orderBy('version', 'desc').limit(1).executeTakeFirst();
      if (reuseUnchanged && latest?.resource_hash === file.hash) {
        rows.push(latest);
        continue;
      }
      const row: StoredDecision = {
        id: newId(), key: decision.id, name: decision.name ?? null, version: (latest?.version ?? 0) + 1,
        version_tag: decision.versionTag ?? null, decision_requirements_key: file.document.id || null, deployment_id: deployment.id,
        tenant_id: deployment.tenantId, dmn_xml: file.text, resource_hash: file.hash,
        history_time_to_live: decision.historyTimeToLive ?? null, deployed_at: deployment.now, deployed_by: deployment.deployedBy,
      };
      rows.push(row);
      created.push(row);
    }
  }
  return { rows, created };
}
