// Compiled models by definition id. A definition's XML never changes, so its model is compiled once
// per process (at deploy, or on first use after a restart) and shared by every command. On a store no
// other process writes, also the versions of each key that a start by key chooses from.
import type { Kysely } from 'kysely';
import type { DefinitionInfo } from '../execution/instance-state.js';
import { compileDefinitionsOffThread, type ProcessModel } from '../model/index.js';
import type { Database } from '../persistence/database.js';
import { notFound } from '../errors.js';
import { withLinkedForms } from './deployed-forms.js';

export interface DeployedProcess {
  info: DefinitionInfo;
  model: ProcessModel;
}

/** the latest version of a key deployed for one tenant (or for none), as a start by key chooses among them */
export interface KeyVersion {
  id: string;
  suspended: boolean;
  tenant_id: string | null;
}

export class DefinitionRegistry {
  readonly #cache = new Map<string, DeployedProcess>();
  readonly #versions = new Map<string, readonly KeyVersion[]>();

  constructor(
    private readonly db: Kysely<Database>,
    /** no other process writes the store (PGlite), so what this one has read of it stays true until it changes it */
    private readonly exclusiveStore: boolean,
  ) {}

  /**
   * The latest version of a key for each tenant that has it, the one of no tenant first: only the latest of
   * a tenant ever starts by key, and a key's older versions may be many. On an exclusive store they are read
   * once, until `versionsChanged`, which saves a start by key a statement.
   */
  async versions(key: string, db: Kysely<Database>): Promise<readonly KeyVersion[]> {
    const known = this.#versions.get(key);
    if (known) return known;
    const rows = await db.selectFrom('process_definitions').distinctOn('tenant_id').select(['id', 'suspended', 'tenant_id'])
      .where('key', '=', key).orderBy('tenant_id', (o) => o.asc().nullsFirst()).orderBy('version', 'desc').execute();
    if (this.exclusiveStore) this.#versions.set(key, rows);
    return rows;
  }

  /**
   * A deployment, deletion, suspension or activation: called in its transaction, where no other command
   * can read the versions before it commits or rolls back (an exclusive store has one connection)
   */
  versionsChanged(): void {
    this.#versions.clear();
  }

  /**
   * `db` must be the caller's transaction when there is one (PGlite has a single connection). Only
   * finished loads are shared: a load still running was started on another connection, and a
   * transaction awaiting it while holding its own connection can wait for ever for a free one.
   */
  async get(definitionId: string, db: Kysely<Database> = this.db): Promise<DeployedProcess> {
    const cached = this.#cache.get(definitionId);
    if (cached) return cached;
    const loaded = await this.#load(definitionId, db);
    return this.#cache.get(definitionId) ?? (this.#cache.set(definitionId, loaded), loaded);
  }

  remember(process: DeployedProcess): void {
    this.#cache.set(process.info.id, process);
  }

  forget(definitionId: string): void {
    this.#cache.delete(definitionId);
  }

  async #load(definitionId: string, db: Kysely<Database>): Promise<DeployedProcess> {
    const row = await db.selectFrom('process_definitions')
      .select(['id', 'key', 'name', 'version', 'tenant_id', 'bpmn_xml', 'linked_forms']).where('id', '=', definitionId).executeTakeFirst();
    if (!row) throw notFound('Process definition', definitionId);
    const { processes } = await compileDefinitionsOffThread(row.bpmn_xml);
    const compiled = processes.find((p) => p.id === row.key);
    if (!compiled) throw new Error(`definition ${definitionId}: process ${row.key} is no longer in its XML`);
    const { bpmn_xml: _xml, linked_forms, ...info } = row;
    return { info, model: await withLinkedForms(db, compiled, linked_forms) };
  }
}
