// Compiled models by definition id. A definition's XML never changes, so its model is compiled once
// per process (at deploy, or on first use after a restart) and shared by every command.
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

export class DefinitionRegistry {
  readonly #cache = new Map<string, DeployedProcess>();

  constructor(private readonly db: Kysely<Database>) {}

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
