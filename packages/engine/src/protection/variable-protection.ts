// Protected variables in the rows that hold values: encrypted as rows are written, opened as they are
// read, so that the interpreter and the API see plain values and no table holds one in clear. Events
// are not opened for anyone: they carry `***` in place of a protected value.
import { invalid } from '../errors.js';
import type { JobRow, VariableRow } from '../execution/instance-state.js';
import type { NewRow } from '../persistence/database.js';
import { checkEncryptionKeys, type EncryptionKey } from './encryption-keys.js';
import { MASK, type ValueMasking } from './mask.js';
import { protectedNames } from './protected-names.js';
import { redactedText } from './redacted-text.js';
import { ValueCipher } from './value-cipher.js';

export interface VariableProtectionOptions {
  /** the first encrypts, every one decrypts */
  keys: readonly EncryptionKey[];
  /** names of protected variables; `*` stands for any run of characters */
  protectedVariables: readonly string[];
  /**
   * the background encryption under the first key of values stored otherwise: under an older key, or in
   * clear before their variable's name was protected
   */
  rotation?: {
    /**
     * ms between passes over the tables, the first one this long after the start (default 60,000); passes
     * stop once one finds nothing left
     */
    intervalMs?: number;
    /** values read and replaced in one batch of statements (default 200) */
    batchSize?: number;
  };
}

type AuditRow = NewRow<'audit_log'>;

export class VariableProtection implements ValueMasking {
  readonly isProtected: (name: string) => boolean;

  /** `patterns`: the names of protected variables, `*` standing for any run of characters */
  constructor(readonly cipher: ValueCipher, readonly patterns: readonly string[]) {
    this.isProtected = protectedNames(patterns);
  }

  /** a protected variable's row as stored: its text encrypted, no number column, its lookup hash */
  sealVariable(row: VariableRow): VariableRow {
    if (!this.isProtected(row.name) || row.value_text === null) return row.value_hash === null ? row : { ...row, value_hash: null };
    return {
      ...row,
      value_text: this.cipher.seal(row.value_text),
      value_long: null,
      value_double: null,
      value_hash: this.cipher.lookupHash(row.name, row.value_text),
    };
  }

  /** the old and new values of a protected variable's update */
  sealAudit(row: AuditRow): AuditRow {
    if (row.operation !== 'SetVariable' || !row.property || !this.isProtected(row.property)) return row;
    return { ...row, org_value: this.#sealed(row.org_value), new_value: this.#sealed(row.new_value) };
  }

  /** a service call's request, and the variables a thrown signal carries, come from variables, protected ones among them maybe */
  sealJob(row: JobRow): JobRow {
    const carriesValues = row.handler === 'service' || row.handler === 'signal-throw';
    return carriesValues && row.payload !== null ? { ...row, payload: this.cipher.seal(row.payload) } : row;
  }

  sealText(text: string): string {
    return this.cipher.seal(text);
  }

  /** rows as read: every sealed value is opened, whatever the names protected now */
  openVariable<R extends { value_text: string | null }>(row: R): R {
    if (row.value_text !== null) row.value_text = this.cipher.open(row.value_text);
    return row;
  }

  openAudit<R extends { org_value: string | null; new_value: string | null }>(row: R): R {
    row.org_value = this.#opened(row.org_value);
    row.new_value = this.#opened(row.new_value);
    return row;
  }

  openJob<R extends { payload: string | null }>(row: R): R {
    row.payload = this.#opened(row.payload);
    return row;
  }

  openText(text: string): string {
    return this.cipher.open(text);
  }

  /** the hashes a protected variable of this name and value text may be stored with, one per key */
  lookupHashes(name: string, text: string): string[] {
    return this.cipher.lookupHashes(name, text);
  }

  maskEvent<E extends Record<string, unknown>>(event: E): E {
    const { variables } = event;
    if (variables === null || typeof variables !== 'object' || Array.isArray(variables)) return event;
    const masked = this.maskVariables(variables as Record<string, unknown>);
    return masked === variables ? event : { ...event, variables: masked };
  }

  /** a variable's value as events show it */
  readonly maskVariable = (name: string, value: unknown): unknown => (this.isProtected(name) ? MASK : value);

  maskVariables(variables: Readonly<Record<string, unknown>>): Record<string, unknown> {
    let masked: Record<string, unknown> | undefined;
    for (const name of Object.keys(variables)) {
      if (this.isProtected(name)) (masked ??= { ...variables })[name] = MASK;
    }
    return masked ?? variables;
  }

  redact(text: string, variables: Iterable<readonly [string, { value: unknown }]>): string {
    const values: unknown[] = [];
    for (const [name, variable] of variables) if (this.isProtected(name)) values.push(variable.value);
    return values.length ? redactedText(text, values) : text;
  }

  #sealed(text: string | null | undefined): string | null {
    return text === null || text === undefined ? null : this.cipher.seal(text);
  }

  #opened(text: string | null): string | null {
    return text === null ? null : this.cipher.open(text);
  }
}

/** the protection the options describe, or none when no key is given; bad keys or a pattern without keys throw */
export function createVariableProtection(options: VariableProtectionOptions | undefined): VariableProtection | undefined {
  if (!options) return undefined;
  const { keys, problems } = checkEncryptionKeys(options.keys);
  if (problems.length) throw invalid(`Invalid variable encryption keys: ${problems.join('; ')}`);
  if (keys.length === 0) {
    if (options.protectedVariables.length) throw invalid('Protected variables need at least one encryption key');
    return undefined;
  }
  return new VariableProtection(new ValueCipher(keys), options.protectedVariables);
}
