// Deployed decisions by definition id, compiled once per process: a decision's DMN never changes once
// deployed. A business rule task and POST /decisions/evaluate find theirs here, by key and binding or by id.
import type { Kysely } from 'kysely';
import { compileDecisions, type Decision, type DecisionsDocument } from '../decisions/index.js';
import type { Database } from '../persistence/database.js';
import { boundVersion, notBound, type Caller, type VersionBinding } from './version-binding.js';

export interface DeployedDecision {
  readonly id: string;
  readonly key: string;
  readonly version: number;
  readonly tenantId: string | null;
  readonly document: DecisionsDocument;
  readonly decision: Decision;
}

/** compiled files kept, at most; a decision used again after it was let go is compiled again */
const CAPACITY = 1_000;

type StoredDecision = { id: string; key: string; version: number; tenant_id: string | null; dmn_xml?: string };

export class DecisionRegistry {
  readonly #compiled = new Map<string, DeployedDecision>();

  /** the version the binding takes, for the caller; or why there is none */
  async find(db: Kysely<Database>, key: string, spec: VersionBinding, caller: Caller): Promise<DeployedDecision | string> {
    const { where, orderBy } = boundVersion(key, spec, caller);
    const row = await db.selectFrom('decision_definitions').select(['id', 'key', 'version', 'tenant_id']).where(where).orderBy(orderBy).limit(1).executeTakeFirst();
    return row ? this.#deployed(db, row) : notBound('The decision', key, spec, caller.tenantId);
  }

  /** the decision of this definition id, if it exists */
  async byId(db: Kysely<Database>, id: string): Promise<DeployedDecision | undefined> {
    const row = await db.selectFrom('decision_definitions').select(['id', 'key', 'version', 'tenant_id']).where('id', '=', id).executeTakeFirst();
    return row && this.#deployed(db, row);
  }

  /**
   * The versions of the decisions `asked` requires, by key: those deployed from the same DMN file (the
   * newest of each, should the file have been deployed again with a model).
   */
  async requiredVersions(db: Kysely<Database>, asked: DeployedDecision): Promise<Map<string, { id: string; version: number }>> {
    const rows = await db.selectFrom('decision_definitions as required')
      .innerJoin('decision_definitions as asked', (join) => join.onRef('asked.resource_hash', '=', 'required.resource_hash'))
      .select(['required.id', 'required.key', 'required.version'])
      .where('asked.id', '=', asked.id)
      .where((eb) => eb.or([eb('required.tenant_id', '=', eb.ref('asked.tenant_id')), eb.and([eb('required.tenant_id', 'is', null), eb('asked.tenant_id', 'is', null)])]))
      .where('required.key', '<>', asked.key)
      .orderBy('required.version')
      .execute();
    return new Map(rows.map((row) => [row.key, { id: row.id, version: row.version }]));
  }

  /** a decision just deployed, compiled already */
  remember(row: StoredDecision, document: DecisionsDocument): void {
    this.#keep(row, document);
  }

  async #deployed(db: Kysely<Database>, row: StoredDecision): Promise<DeployedDecision> {
    const known = this.#compiled.get(row.id);
    if (known) return known;
    const { dmn_xml } = await db.selectFrom('decision_definitions').select('dmn_xml').where('id', '=', row.id).executeTakeFirstOrThrow();
    return this.#keep(row, await compileDecisions(dmn_xml));
  }

  #keep(row: StoredDecision, document: DecisionsDocument): DeployedDecision {
    const decision = document.decisions.find((d) => d.id === row.key);
    if (!decision) throw new Error(`decision definition ${row.id} holds no decision '${row.key}'`);
    const deployed = { id: row.id, key: row.key, version: row.version, tenantId: row.tenant_id, document, decision };
    if (this.#compiled.size >= CAPACITY) this.#compiled.delete(this.#compiled.keys().next().value!);
    this.#compiled.set(row.id, deployed);
    return deployed;
  }
}
