// Deploying a BPMN file, with the forms its processes link to: every executable process becomes a new
// version of its key (per tenant), unless the same XML (and forms) is already the latest version. Message
// start events subscribe here, and timer start events are scheduled.
import { createHash } from 'node:crypto';
import { sql, type Transaction } from 'kysely';
import type { Database } from '../persistence/database.js';
import type { DeployInput } from '../api/engine.js';
import { requireTenant } from '../access/acting-user.js';
import { invalid } from '../errors.js';
import { compileDefinitionsOffThread } from '../model/index.js';
import { evaluateExpression } from '../expressions/index.js';
import { newId } from '../util/ids.js';
import type { CommandContext } from '../commands/command-context.js';
import { inTransaction, writeEvents } from '../commands/run-command.js';
import { outboxRow } from '../execution/history.js';
import { ANONYMOUS } from '../commands/new-instance.js';
import { auditDefinitions } from './definition-audit.js';
import { readDecisionFiles, versionDecisions } from './deployed-decisions.js';
import { readFormFiles, resolveFormLinks, storeForms, withLinkedForms } from './deployed-forms.js';
import { firstTimerStarts, replaceTimerStartJobs, timerStartJob } from './timer-start-jobs.js';

const DEPLOY_LOCK = 7_300_731;

/** versions of a key are numbered one after another even when two deployments race */
export async function lockDeployments(trx: Transaction<Database>): Promise<void> {
  await sql`select pg_advisory_xact_lock(${DEPLOY_LOCK})`.execute(trx);
}

export interface Deployed {
  deployment_id: string;
  definition_ids: string[];
  created: boolean;
}

export async function deploy(ctx: CommandContext, input: DeployInput): Promise<Deployed> {
  if (typeof input.bpmn_xml !== 'string' || !input.bpmn_xml.trim()) throw invalid('bpmn_xml is required and must hold the BPMN XML');
  requireTenant(ctx.caller, input.tenant_id);
  const formFiles = readFormFiles(input.forms ?? []);
  const { processes } = await compileDefinitionsOffThread(input.bpmn_xml, { maxBytes: ctx.maxBpmnBytes });
  const decisionFiles = await readDecisionFiles(input.decisions ?? [], ctx.maxBpmnBytes);
  const hash = [...formFiles, ...decisionFiles].reduce((h, file) => h.update('\0').update(file.text), createHash('sha256').update(input.bpmn_xml)).digest('hex');
  const tenantId = input.tenant_id ?? null;
  const timerStarts = firstTimerStarts(processes, ctx.now());
  const result = await inTransaction(ctx, async (trx) => {
    await lockDeployments(trx);
    const latest = await Promise.all(processes.map(async (p) => {
      let query = trx.selectFrom('process_definitions').select(['id', 'version', 'resource_hash', 'deployment_id']).where('key', '=', p.id);
      query = tenantId === null ? query.where('tenant_id', 'is', null) : query.where('tenant_id', '=', tenantId);
      return query.orderBy('version', 'desc').limit(1).executeTakeFirst();
    }));
    if (latest.every((row) => row?.resource_hash === hash)) {
      return { deployment_id: latest[0]!.deployment_id, definition_ids: latest.map((r) => r!.id), created: false, rows: [] };
    }
    const now = ctx.now();
    const deploymentId = newId();
    const deployedBy = input.deployed_by ?? ANONYMOUS;
    await trx.insertInto('deployments').values({
      id: deploymentId, name: input.name ?? null, source: input.source ?? null, tenant_id: tenantId, deployed_at: now, deployed_by: deployedBy,
    }).execute();
    const forms = await storeForms(trx, formFiles, deploymentId, tenantId, now);
    const decisions = await versionDecisions(trx, decisionFiles, { id: deploymentId, tenantId, deployedBy, now }, false);
    if (decisions.created.length) await trx.insertInto('decision_definitions').values(decisions.created).execute();
    const links = await Promise.all(processes.map((p) => resolveFormLinks(trx, p, forms, tenantId)));
    const rows = processes.map((p, i) => ({
      id: newId(), key: p.id, name: p.name || p.id, version: (latest[i]?.version ?? 0) + 1, category: input.category ?? null,
      description: input.description ?? p.documentation ?? null, deployment_id: deploymentId, deployed_at: now, deployed_by: deployedBy,
      bpmn_xml: input.bpmn_xml, diagram: null, active: true, suspended: false, tenant_id: tenantId, resource_hash: hash,
      version_tag: p.versionTag ?? null, linked_forms: Object.keys(links[i]!).length ? JSON.stringify(links[i]) : null,
    }));
    await trx.insertInto('process_definitions').values(rows).execute();
    ctx.definitions.versionsChanged();
    await auditDefinitions(ctx, trx, rows, [{ operation: 'Deploy', user_id: deployedBy }]);
    await writeEvents(ctx, trx, rows.map((row) => outboxRow('process_manager.definition.deployed', {
      definition_id: row.id, process_definition_key: row.key, name: row.name, version: row.version,
      deployment_id: deploymentId, deployed_by: deployedBy,
    }, now, { process_instance_id: null, tenant_id: tenantId, process_definition_key: row.key })));
    // only the latest version of a key starts on a message, a signal or a condition
    const previous = latest.flatMap((row) => (row ? [row.id] : []));
    if (previous.length) {
      await trx.deleteFrom('event_subscriptions').where('process_definition_id', 'in', previous).where('process_instance_id', 'is', null).execute();
    }
    const subscriptions = processes.flatMap((p, i) => [...p.messageStartEvents, ...p.signalStartEvents, ...p.conditionalStartEvents].map((eventId) => {
      const definition = p.elements.get(eventId)!.eventDefinition;
      const [type, name] = definition.kind === 'signal' ? ['signal', String(evaluateExpression(definition.signalName, {}))]
        : definition.kind === 'conditional' ? ['conditional', null]
        : ['message', definition.kind === 'message' ? String(evaluateExpression(definition.messageName, {})) : ''];
      return {
        id: newId(), event_type: type, event_name: name, process_instance_id: null, execution_id: null,
        activity_id: eventId, process_definition_id: rows[i]!.id, tenant_id: tenantId, created_at: now,
      };
    }));
    if (subscriptions.length) await trx.insertInto('event_subscriptions').values(subscriptions).execute();
    const timerJobs = rows.flatMap((row, i) => timerStarts[i]!.map((start) => timerStartJob(row, start.eventId, start.firing, now)));
    await replaceTimerStartJobs(trx, previous, timerJobs);
    return { deployment_id: deploymentId, definition_ids: rows.map((r) => r.id), created: true, rows, decisions: decisions.created };
  }, { alone: true });
  for (const row of result.decisions ?? []) ctx.decisions.remember(row, decisionFiles.find((file) => file.hash === row.resource_hash)!.document);
  for (const row of result.rows) {
    ctx.definitions.remember({
      info: { id: row.id, key: row.key, name: row.name, version: row.version, tenant_id: row.tenant_id },
      model: await withLinkedForms(ctx.db, processes.find((p) => p.id === row.key)!, row.linked_forms),
    });
  }
  return { deployment_id: result.deployment_id, definition_ids: result.definition_ids, created: result.created };
}
