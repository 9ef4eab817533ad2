// A form generated from declared fields (Camunda 7 camunda:formData; a process's start form). The browser
// does not validate: the engine checks the values and its answer is shown beside each field it names.
import { useState } from 'preact/hooks';
import type { FormField, ProcessVariable } from '../api/types.js';
import { initialValue, toVariables, type FieldValues, type SubmittedVariables } from './field-values.js';

export type { SubmittedVariables } from './field-values.js';

const INPUT_TYPES: Readonly<Record<string, string>> = { string: 'text', number: 'number', date: 'date' };

export function GeneratedForm(props: {
  fields: readonly FormField[];
  current?: Record<string, ProcessVariable>;
  /** what the engine said is wrong, by field id */
  problems: Readonly<Record<string, string>>;
  submitLabel: string;
  busy: boolean;
  onSubmit: (variables: SubmittedVariables) => void;
}) {
  const [values, setValues] = useState<FieldValues>(() =>
    Object.fromEntries(props.fields.map((f) => [f.id, initialValue(f, props.current?.[f.id])])));
  const set = (id: string, value: string | boolean | string[]) => setValues((v) => ({ ...v, [id]: value }));

  return (
    <form class="generated-form" noValidate onSubmit={(e) => { e.preventDefault(); props.onSubmit(toVariables(props.fields, values)); }}>
      {props.fields.map((field) => {
        const id = `field-${field.id}`;
        const problem = props.problems[field.id];
        const described = problem ? `${id}-problem` : undefined;
        const common = { id, name: field.id, 'aria-invalid': problem ? true : undefined, 'aria-describedby': described };
        const value = values[field.id];
        return (
          <div class={`field${problem ? ' has-problem' : ''}`} key={field.id}>
            {field.type === 'boolean' ? (
              <label class="check">
                <input type="checkbox" {...common} checked={value === true} onChange={(e) => set(field.id, e.currentTarget.checked)} />
                {field.label}
              </label>
            ) : (
              <>
                <label for={id}>{field.label}{field.required && <span aria-hidden="true"> *</span>}</label>
                {field.type === 'select' ? (
                  <select {...common} value={value as string} onChange={(e) => set(field.id, e.currentTarget.value)}>
                    <option value="">—</option>
                    {(field.options ?? []).map((o) => <option key={o} value={o}>{o}</option>)}
                  </select>
                ) : field.type === 'multiselect' ? (
                  <select {...common} multiple
                    onChange={(e) => set(field.id, [...e.currentTarget.selectedOptions].map((o) => o.value))}>
                    {(field.options ?? []).map((o) => <option key={o} value={o} selected={(value as string[]).includes(o)}>{o}</option>)}
                  </select>
                ) : field.type === 'text' ? (
                  <textarea {...common} rows={3} value={value as string} onInput={(e) => set(field.id, e.currentTarget.value)} />
                ) : (
                  <input {...common} type={INPUT_TYPES[field.type] ?? 'text'} step={field.value_type === 'Double' ? 'any' : undefined}
                    value={value as string} onInput={(e) => set(field.id, e.currentTarget.value)} />
                )}
              </>
            )}
            {problem && <p class="field-problem" id={described}>{problem}</p>}
          </div>
        );
      })}
      <div class="actions"><button type="submit" disabled={props.busy}>{props.submitLabel}</button></div>
    </form>
  );
}
