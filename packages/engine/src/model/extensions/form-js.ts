// The fields of a form-js form (the JSON schema Camunda Modeler writes for Camunda 8 user task forms),
// as the same FormField list a camunda:formData gives, so that one check serves both on completion.
import type { FormField, FormFieldType, ValidationRule, VariableType } from '../../api/types.js';

interface Component {
  type?: unknown;
  key?: unknown;
  label?: unknown;
  path?: unknown;
  components?: unknown;
  values?: unknown;
  defaultValue?: unknown;
  decimalDigits?: unknown;
  validate?: Record<string, unknown>;
}

/** form-js component types that submit a value, with what the field is and how the value is stored. */
const INPUTS: Readonly<Record<string, { type: FormFieldType; value_type: VariableType }>> = {
  textfield: { type: 'string', value_type: 'String' },
  textarea: { type: 'text', value_type: 'String' },
  number: { type: 'number', value_type: 'Double' },
  checkbox: { type: 'boolean', value_type: 'Boolean' },
  select: { type: 'select', value_type: 'String' },
  radio: { type: 'select', value_type: 'String' },
  checklist: { type: 'multiselect', value_type: 'Json' },
  taglist: { type: 'multiselect', value_type: 'Json' },
  // form-js keeps dates as ISO text ("2026-12-06", "2026-12-06T10:00")
  datetime: { type: 'date', value_type: 'String' },
};

/** form-js `validate` keys → the constraint names of camunda:validation */
const CONSTRAINTS: Readonly<Record<string, string>> = {
  minLength: 'minlength', maxLength: 'maxlength', min: 'min', max: 'max', pattern: 'pattern',
};

export function formJsFields(schema: unknown): FormField[] {
  return components(schema).flatMap((component) => {
    // a group without a path only arranges its fields; one with a path nests their values, which no flat field describes
    if (component.type === 'group' && component.path === undefined) return formJsFields(component);
    const kind = typeof component.type === 'string' && Object.hasOwn(INPUTS, component.type) ? INPUTS[component.type]! : undefined;
    if (kind === undefined || typeof component.key !== 'string' || component.key === '') return [];
    return [field(component, component.key, kind)];
  });
}

function components(holder: unknown): Component[] {
  const list = typeof holder === 'object' && holder !== null ? (holder as { components?: unknown }).components : undefined;
  return Array.isArray(list) ? list.filter((c): c is Component => typeof c === 'object' && c !== null) : [];
}

function field(component: Component, id: string, kind: { type: FormFieldType; value_type: VariableType }): FormField {
  const validate = typeof component.validate === 'object' && component.validate !== null ? component.validate : {};
  const rules: ValidationRule[] = [];
  if (validate.required === true) rules.push({ name: 'required' });
  for (const [key, name] of Object.entries(CONSTRAINTS)) {
    const config = validate[key];
    if (typeof config === 'number' || (typeof config === 'string' && config !== '')) rules.push({ name, config: String(config) });
  }
  const result: FormField = {
    id,
    label: typeof component.label === 'string' && component.label !== '' ? component.label : id,
    type: kind.type,
    value_type: kind.type === 'number' && component.decimalDigits === 0 ? 'Long' : kind.value_type,
    required: validate.required === true,
  };
  const options = Array.isArray(component.values)
    ? component.values.flatMap((option: unknown) => {
      const value = typeof option === 'object' && option !== null ? (option as { value?: unknown }).value : undefined;
      return typeof value === 'string' ? [value] : [];
    })
    : [];
  if (options.length > 0) result.options = options;
  if (rules.length > 0) result.validation_rules = rules;
  if (component.defaultValue !== undefined && component.defaultValue !== null) result.default_value = String(component.defaultValue);
  return result;
}
