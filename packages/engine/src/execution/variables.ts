// Variables live on scope executions: the instance itself (its id is the root execution's), embedded
// sub-processes, and activities with input mappings. Reads see the whole chain, the nearest scope
// winning; a write goes to the nearest scope that already has the name, else to the instance (Camunda 7).
import { newId } from '../util/ids.js';
import { encodeVariable, decodeVariable, type TypedValue } from '../variables/variable-codec.js';
import type { VariableEventKind } from '../model/index.js';
import type { ExecutionRow, InstanceState, VariableRow } from './instance-state.js';

/** a variable set since conditional events last looked (a scope's locals ending with it are no change) */
export interface VariableChange {
  readonly name: string;
  readonly kind: VariableEventKind;
}

export class Variables {
  /** the rows by scope and name, built at first use: a scan of every row per lookup grew square with the scopes (10,000 inner instances) */
  #byScope: Map<string, Map<string, VariableRow>> | undefined;
  #changes: VariableChange[] = [];

  constructor(private readonly state: InstanceState, private readonly now: () => Date) {}

  /** the execution ids from the given one up to the instance, nearest first */
  chain(executionId: string): string[] {
    const ids: string[] = [];
    let current: ExecutionRow | undefined = this.state.executions.get(executionId);
    if (!current) return [this.state.instance.id];
    while (current) {
      ids.push(current.id);
      current = current.parent_id ? this.state.executions.get(current.parent_id) : undefined;
    }
    if (ids[ids.length - 1] !== this.state.instance.id) ids.push(this.state.instance.id);
    return ids;
  }

  /** plain values visible from an execution, as expressions see them */
  visible(executionId: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [name, typed] of this.visibleTyped(executionId)) out[name] = typed.value;
    return out;
  }

  visibleTyped(executionId: string): Map<string, TypedValue> {
    const out = new Map<string, TypedValue>();
    for (const scopeId of this.chain(executionId).reverse()) {
      for (const row of this.local(scopeId)) out.set(row.name, decodeVariable(row));
    }
    return out;
  }

  /** typed values of one scope */
  typedIn(scopeId: string): Map<string, TypedValue> {
    return new Map(this.local(scopeId).map((row) => [row.name, decodeVariable(row)]));
  }

  set(executionId: string, name: string, value: TypedValue): void {
    for (const scopeId of this.chain(executionId)) {
      const row = this.find(scopeId, name);
      if (row) return this.#update(row, value);
    }
    this.setLocal(this.state.instance.id, name, value);
  }

  setLocal(scopeId: string, name: string, value: TypedValue): void {
    const row = this.find(scopeId, name);
    if (row) return this.#update(row, value);
    this.#changes.push({ name, kind: 'create' });
    const now = this.now();
    this.#add(this.state.variables.add({
      id: newId(), instance_id: this.state.instance.id, execution_id: scopeId, task_id: null, activity_instance_id: null,
      name, ...encodeVariable(value), value_hash: null, value_bytes: null, serialization_data_format: null, is_transient: false,
      revision: 1, created_at: now, updated_at: now,
    }));
  }

  /** the variable of this scope removed, a change conditional events see; false when the scope has none of the name */
  remove(scopeId: string, name: string): boolean {
    const row = this.find(scopeId, name);
    if (!row) return false;
    this.state.variables.delete(row.id);
    this.#index().get(scopeId)!.delete(name);
    this.#changes.push({ name, kind: 'delete' });
    return true;
  }

  deleteLocals(scopeId: string): void {
    for (const row of this.local(scopeId)) this.state.variables.delete(row.id);
    this.#index().delete(scopeId);
  }

  /** the scope's variables copied under `holder`, beside those it holds already (copied from scopes further in), as no change */
  keepSnapshot(scopeId: string, holder: string): void {
    for (const row of this.local(scopeId)) {
      if (!this.find(holder, row.name)) this.#add(this.state.variables.add({ ...row, id: newId(), execution_id: holder }));
    }
  }

  /** the variables held under `holder` become the scope's own */
  moveLocals(holder: string, scopeId: string): void {
    for (const row of this.local(holder)) {
      row.execution_id = scopeId;
      this.#add(row);
    }
    this.#index().delete(holder);
  }

  has(scopeId: string, name: string): boolean {
    return this.find(scopeId, name) !== undefined;
  }

  /** the changes since the last call; as in Camunda 7, setting a variable to the value it has is an update too */
  takeChanges(): VariableChange[] {
    const changes = this.#changes;
    this.#changes = [];
    return changes;
  }

  #update(row: VariableRow, value: TypedValue) {
    this.#changes.push({ name: row.name, kind: 'update' });
    const encoded = encodeVariable(value);
    if (encoded.type === row.type && encoded.value_text === row.value_text && encoded.value_info === row.value_info) return;
    Object.assign(row, encoded, { revision: row.revision + 1, updated_at: this.now() });
  }

  private find(scopeId: string, name: string): VariableRow | undefined {
    return this.#index().get(scopeId)?.get(name);
  }

  private local(scopeId: string): VariableRow[] {
    const rows = this.#index().get(scopeId);
    return rows ? [...rows.values()] : [];
  }

  #index(): Map<string, Map<string, VariableRow>> {
    if (!this.#byScope) {
      this.#byScope = new Map();
      for (const row of this.state.variables.values()) this.#add(row);
    }
    return this.#byScope;
  }

  #add(row: VariableRow): void {
    const index = this.#index();
    const scope = index.get(row.execution_id) ?? new Map<string, VariableRow>();
    if (!index.has(row.execution_id)) index.set(row.execution_id, scope);
    scope.set(row.name, row);
  }
}
