// Camunda 7 forms on user tasks and start events: camunda:formKey, the generated camunda:formData fields,
// and camunda:formRef, a Camunda Form deployed beside the process.
import type { FormField, FormFieldType, ValidationRule, VariableType } from '../../api/types.js';
import type { CompileContext } from '../compile-context.js';
import { child, children, describe, extension, text, type ModdleElement } from '../moddle-access.js';
import type { FormLink } from '../process-model.js';
import { withoutUndefined } from '../../util/without-undefined.js';
import { wholeNumber } from './whole-number.js';

const FORM_REF_BINDINGS: readonly string[] = ['latest', 'deployment', 'version'];

/** camunda:formRef: a Camunda Form deployed beside the process, bound by camunda:formRefBinding (latest by default). */
export function camundaFormLink(element: ModdleElement, ctx: CompileContext): FormLink | undefined {
  const formId = text(element, 'camunda:formRef');
  if (formId === undefined) return undefined;
  const binding = text(element, 'camunda:formRefBinding') ?? 'latest';
  const versionText = text(element, 'camunda:formRefVersion');
  const version = versionText === undefined ? undefined : wholeNumber(versionText);
  if (!FORM_REF_BINDINGS.includes(binding)) ctx.report(element, `The camunda:formRefBinding '${binding}' of ${describe(element)} is not supported (use ${FORM_REF_BINDINGS.join(', ')})`);
  else if (binding === 'version' && version === undefined) ctx.report(element, `${describe(element)} binds its form by version but has no whole camunda:formRefVersion`);
  else return withoutUndefined({ formId, binding: binding as FormLink['binding'], version });
  return undefined;
}

/** camunda:formKey (or the Camunda Forms camunda:formRef) and camunda:formData of a user task or start event. */
export function camundaForm(element: ModdleElement): { formKey?: string; formFields: FormField[] } {
  const formKey = text(element, 'camunda:formKey') ?? text(element, 'camunda:formRef');
  const formData = extension(element, 'camunda:FormData');
  const formFields = formData === undefined ? [] : children(formData, 'fields').flatMap((field) => formField(field) ?? []);
  return formKey === undefined ? { formFields } : { formKey, formFields };
}

/** Camunda 7's form field types: what the field shows and the type its value is stored as. */
const FIELD_TYPES: Readonly<Record<string, { type: FormFieldType; value_type: VariableType }>> = {
  string: { type: 'string', value_type: 'String' },
  long: { type: 'number', value_type: 'Long' },
  integer: { type: 'number', value_type: 'Integer' },
  double: { type: 'number', value_type: 'Double' },
  boolean: { type: 'boolean', value_type: 'Boolean' },
  date: { type: 'date', value_type: 'Date' },
  enum: { type: 'select', value_type: 'String' },
};

function formField(field: ModdleElement): FormField | undefined {
  const id = text(field, 'id');
  if (id === undefined) return undefined;
  const validation = child(field, 'validation');
  const rules: ValidationRule[] = (validation === undefined ? [] : children(validation, 'constraints')).flatMap((constraint) => {
    const name = text(constraint, 'name');
    if (name === undefined) return [];
    const config = text(constraint, 'config');
    return [config === undefined ? { name } : { name, config }];
  });
  const type = text(field, 'type') ?? 'string';
  const result: FormField = {
    id,
    label: text(field, 'label') ?? id,
    ...(Object.hasOwn(FIELD_TYPES, type) ? FIELD_TYPES[type]! : FIELD_TYPES.string!),
    required: rules.some((rule) => rule.name === 'required'),
  };
  const options = children(field, 'values').flatMap((value) => text(value, 'id') ?? []);
  if (options.length > 0) result.options = options;
  if (rules.length > 0) result.validation_rules = rules;
  const defaultValue = text(field, 'defaultValue');
  if (defaultValue !== undefined) result.default_value = defaultValue;
  return result;
}
