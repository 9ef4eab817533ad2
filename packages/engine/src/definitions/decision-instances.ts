// Decision history (history level full): the rows of decision_instances an evaluation leaves, one for the
// decision asked for and one for each decision it required, which name the first as their root. Values
// the evaluation saw that hold a protected variable's value are stored as the mask, never in clear.
import type { Kysely } from 'kysely';
import type { EvaluatedDecision } from '../decisions/index.js';
import { MASK } from '../protection/mask.js';
import type { Database, NewRow } from '../persistence/database.js';
import { newId } from '../util/ids.js';
import type { DecisionRegistry, DeployedDecision } from './decision-registry.js';

/** where and when a decision was evaluated */
export interface EvaluationSite {
  evaluatedAt: Date;
  userId: string | null;
  tenantId: string | null;
  removalTime: Date | null;
  /** the business rule task that evaluated it; absent for an evaluation through the API */
  task?: Pick<NewRow<'decision_instances'>, 'process_instance_id' | 'process_definition_id' | 'process_definition_key' | 'activity_id' | 'activity_instance_id'>;
  /** the text with protected values masked (the identity when none is protected) */
  redact(text: string): string;
}

/**
 * The rows of one evaluation of `asked`, from `evaluations` as evaluateDecision collected them: in their
 * order, the decision asked for last.
 */
export async function decisionInstanceRows(
  db: Kysely<Database>, registry: DecisionRegistry, asked: DeployedDecision, evaluations: readonly EvaluatedDecision[], site: EvaluationSite,
): Promise<NewRow<'decision_instances'>[]> {
  const rootId = newId();
  const required = evaluations.length > 1 ? await registry.requiredVersions(db, asked) : new Map();
  const masked = (value: unknown): unknown => {
    const text = JSON.stringify(value ?? null);
    return site.redact(text) === text ? value ?? null : MASK;
  };
  return evaluations.map((evaluation) => {
    const isRoot = evaluation.decision.id === asked.key;
    const definition = isRoot ? asked : required.get(evaluation.decision.id);
    const { logic } = evaluation.decision;
    return {
      id: isRoot ? rootId : newId(),
      decision_definition_id: definition?.id ?? asked.id,
      decision_key: evaluation.decision.id,
      decision_name: evaluation.decision.name ?? null,
      decision_version: definition?.version ?? asked.version,
      root_decision_instance_id: isRoot ? null : rootId,
      process_instance_id: site.task?.process_instance_id ?? null,
      process_definition_id: site.task?.process_definition_id ?? null,
      process_definition_key: site.task?.process_definition_key ?? null,
      activity_id: site.task?.activity_id ?? null,
      activity_instance_id: site.task?.activity_instance_id ?? null,
      tenant_id: site.tenantId,
      evaluated_at: site.evaluatedAt,
      user_id: site.userId,
      inputs: JSON.stringify(logic.kind === 'table'
        ? logic.inputs.map((input, i) => ({ input_id: input.id, ...(input.label ? { label: input.label } : {}), value: masked(evaluation.inputValues[i]) }))
        : []),
      outputs: JSON.stringify(logic.kind === 'table'
        ? evaluation.rules.flatMap(({ rule, entry }) => logic.outputs.filter((output) => Object.hasOwn(entry, output.name)).map((output) => ({
          rule_id: rule.id, rule_order: logic.rules.indexOf(rule) + 1, output_id: output.id, name: output.name,
          ...(output.label ? { label: output.label } : {}), value: masked(entry[output.name]),
        })))
        : evaluation.result.flatMap((entry) => Object.entries(entry).map(([name, value]) => ({ name, value: masked(value) })))),
      collect_result_value: logic.kind === 'table' && logic.aggregation !== undefined
        ? JSON.stringify(masked(evaluation.result[0]?.[logic.outputs[0]!.name]))
        : null,
      removal_time: site.removalTime,
    };
  });
}
