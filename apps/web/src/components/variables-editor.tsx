// An instance's variables with their types; each can be changed, and new ones added, as typed values
// (PUT /instances/{id}/variables). A value that does not fit its type is refused here in words.
import { useState } from 'preact/hooks';
import { api } from '../api/client.js';
import type { ProcessVariable, VariableType } from '../api/types.js';
import { valueText } from '../format.js';
import { useCommand } from '../use-command.js';
import { ErrorMessage } from './states.js';
import { parseValue } from './variable-value.js';

const EDITABLE_TYPES: readonly VariableType[] = ['String', 'Integer', 'Long', 'Double', 'Boolean', 'Date', 'Json', 'Null'];

interface Draft {
  name: string;
  type: VariableType;
  text: string;
  isNew: boolean;
}

export function VariablesEditor({ instanceId, variables, readOnly, onSaved }: {
  instanceId: string;
  variables: Record<string, ProcessVariable>;
  readOnly: boolean;
  onSaved: () => void;
}) {
  const [draft, setDraft] = useState<Draft>();
  const [parseError, setParseError] = useState<Error>();
  const save = useCommand();
  const names = Object.keys(variables).sort();

  const submit = async (d: Draft) => {
    let value: unknown;
    try {
      value = parseValue(d.type, d.text);
    } catch (e) {
      setParseError(e as Error);
      return;
    }
    setParseError(undefined);
    const done = await save.run(() => api('PUT', `/instances/${instanceId}/variables`, [{ variable_name: d.name.trim(), value, type: d.type }]));
    if (done !== undefined) {
      setDraft(undefined);
      onSaved();
    }
  };

  const editor = (d: Draft) => (
    <form class="variable-editor" aria-label={`Edit variable ${d.name || '(new)'}`} onSubmit={(e) => { e.preventDefault(); void submit(d); }}>
      {d.isNew && <label>Name <input value={d.name} required onInput={(e) => setDraft({ ...d, name: e.currentTarget.value })} /></label>}
      <label>Type
        <select value={d.type} onChange={(e) => setDraft({ ...d, type: e.currentTarget.value as VariableType })}>
          {EDITABLE_TYPES.map((t) => <option key={t} value={t}>{t}</option>)}
        </select>
      </label>
      <label>Value <textarea rows={d.type === 'Json' ? 4 : 1} value={d.text} onInput={(e) => setDraft({ ...d, text: e.currentTarget.value })} /></label>
      <div class="actions">
        <button type="submit" disabled={save.busy}>Save</button>
        <button type="button" class="secondary" onClick={() => { setDraft(undefined); setParseError(undefined); }}>Cancel</button>
      </div>
      <ErrorMessage error={parseError ?? save.error} />
    </form>
  );

  return (
    <div>
      {names.length === 0 ? <p class="state empty">This instance has no variables.</p> : (
        <div class="table-wrap">
          <table>
            <thead><tr><th>Name</th><th>Type</th><th>Value</th>{!readOnly && <th><span class="visually-hidden">Actions</span></th>}</tr></thead>
            <tbody>
              {names.map((name) => {
                const variable = variables[name]!;
                return (
                  <tr key={name}>
                    <td><code>{name}</code></td>
                    <td>{variable.type}</td>
                    <td class="value">{draft?.name === name && !draft.isNew ? editor(draft) : valueText(variable.value)}</td>
                    {!readOnly && (
                      <td>
                        <button type="button" class="secondary small" aria-label={`Edit ${name}`}
                          onClick={() => setDraft({ name, type: variable.type, text: variable.type === 'Json' ? JSON.stringify(variable.value, null, 2) : valueText(variable.value), isNew: false })}>
                          Edit
                        </button>
                      </td>
                    )}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {!readOnly && (draft?.isNew ? editor(draft) : (
        <button type="button" class="secondary" onClick={() => setDraft({ name: '', type: 'String', text: '', isNew: true })}>Add a variable</button>
      ))}
    </div>
  );
}
