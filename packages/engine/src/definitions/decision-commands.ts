// Deploying DMN files on their own, and evaluating a deployed decision outside any process (as Camunda 7's
// REST API evaluates one by key or id).
import type { DecisionEvaluation, DeployDecisionsInput, EvaluateDecisionInput } from '../api/decision-types.js';
import { requireTenant } from '../access/acting-user.js';
import { seesTenant } from '../access/caller.js';
import type { CommandContext } from '../commands/command-context.js';
import { ANONYMOUS } from '../commands/new-instance.js';
import { inTransaction } from '../commands/run-command.js';
import { DecisionError, evaluateDecision as evaluate, type DecisionResult, type EvaluatedDecision } from '../decisions/index.js';
import { removalTime } from '../execution/removal-time.js';
import { invalid, notFound } from '../errors.js';
import { isEngineId, newId } from '../util/ids.js';
import { toTypedValues } from '../variables/variable-codec.js';
import { decisionInstanceRows } from './decision-instances.js';
import type { DeployedDecision } from './decision-registry.js';
import { readDecisionFiles, versionDecisions, type StoredDecision } from './deployed-decisions.js';
import { lockDeployments } from './deploy.js';

export interface DeployedDecisions {
  deployment_id: string;
  rows: StoredDecision[];
  created: boolean;
}

export async function deployDecisions(ctx: CommandContext, input: DeployDecisionsInput): Promise<DeployedDecisions> {
  if (typeof input.dmn_xml !== 'string' || !input.dmn_xml.trim()) throw invalid('dmn_xml is required and must hold the DMN XML');
  requireTenant(ctx.caller, input.tenant_id);
  const files = await readDecisionFiles([input.dmn_xml], ctx.maxBpmnBytes);
  const tenantId = input.tenant_id ?? null;
  const deployedBy = input.deployed_by ?? ANONYMOUS;
  const stored = await inTransaction(ctx, async (trx) => {
    await lockDeployments(trx);
    const now = ctx.now();
    const deployment = { id: newId(), tenantId, deployedBy, now };
    const { rows, created } = await versionDecisions(trx, files, deployment, true);
    // nothing new: the deployment that made the latest versions stands, and this one is not made
    if (!created.length) return { rows, created, deploymentId: rows[0]!.deployment_id };
    await trx.insertInto('deployments').values({
      id: deployment.id, name: input.name ?? null, source: input.source ?? null, tenant_id: tenantId, deployed_at: now, deployed_by: deployedBy,
    }).execute();
    await trx.insertInto('decision_definitions').values(created).execute();
    return { rows, created, deploymentId: deployment.id };
  }, { alone: true });
  for (const row of stored.created) ctx.decisions.remember(row, files[0]!.document);
  return { deployment_id: stored.deploymentId, rows: stored.rows, created: stored.created.length > 0 };
}

export async function evaluateDeployedDecision(ctx: CommandContext, input: EvaluateDecisionInput): Promise<DecisionEvaluation> {
  const deployed = await chosenDecision(ctx, input);
  const typed = toTypedValues(input.variables);
  const variables = Object.fromEntries([...typed].map(([name, v]) => [name, v.value]));
  const evaluations: EvaluatedDecision[] = [];
  let result: DecisionResult;
  try {
    result = evaluate(deployed.document, deployed.decision.id, variables, evaluations);
  } catch (e) {
    if (e instanceof DecisionError) throw invalid(e.message, { decision_id: deployed.id });
    throw e;
  }
  const evaluation: DecisionEvaluation = { decision_id: deployed.id, decision_key: deployed.key, version: deployed.version, result: result.map((entry) => ({ ...entry })) };
  if (ctx.historyLevel !== 'full') return evaluation;
  const evaluatedAt = ctx.now();
  const masking = ctx.interpreter.masking;
  const rows = await decisionInstanceRows(ctx.db, ctx.decisions, deployed, evaluations, {
    evaluatedAt, userId: ctx.caller?.user_id ?? null, tenantId: deployed.tenantId,
    removalTime: removalTime(evaluatedAt, deployed.decision.historyTimeToLive ?? ctx.interpreter.historyTimeToLiveDays),
    redact: (text) => (masking ? masking.redact(text, typed) : text),
  });
  await ctx.db.insertInto('decision_instances').values(rows).execute();
  return { ...evaluation, decision_instance_id: rows.at(-1)!.id };
}

async function chosenDecision(ctx: CommandContext, input: EvaluateDecisionInput): Promise<DeployedDecision> {
  if ((input.decision_id === undefined) === (input.decision_key === undefined)) throw invalid('Name the decision by decision_key or by decision_id, not both');
  requireTenant(ctx.caller, input.tenant_id);
  if (input.decision_id !== undefined) {
    const found = isEngineId(input.decision_id) ? await ctx.decisions.byId(ctx.db, input.decision_id) : undefined;
    if (!found || (found.tenantId !== null && !seesTenant(ctx.caller, found.tenantId))) throw notFound('Decision definition', input.decision_id);
    return found;
  }
  const found = await ctx.decisions.find(ctx.db, input.decision_key!, { binding: 'latest' }, { tenantId: input.tenant_id ?? null });
  if (typeof found === 'string') throw notFound('Decision', input.decision_key!);
  return found;
}
