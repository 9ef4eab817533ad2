// Which version of a called process or decision Camunda 7 takes: `…Binding` latest (default), deployment,
// version (with `…Version`) or versionTag (with `…VersionTag`), read the same way for both.
import type { Expression } from '../../expressions/expression.js';
import type { CompileContext } from '../compile-context.js';
import { describe, text, type ModdleElement } from '../moddle-access.js';
import { wholeNumber } from './whole-number.js';

export const BINDINGS = ['latest', 'deployment', 'version', 'versionTag'] as const;

export interface Binding {
  readonly binding: (typeof BINDINGS)[number];
  readonly version?: number;
  readonly versionTag?: Expression;
}

/** `prefix` is `camunda:calledElement` or `camunda:decisionRef`; `execution`: what its expressions may read of the execution */
export function camundaBinding(element: ModdleElement, prefix: string, ctx: CompileContext, execution: readonly string[] = []): Binding {
  const binding = text(element, `${prefix}Binding`) ?? 'latest';
  const versionText = text(element, `${prefix}Version`);
  const version = versionText === undefined ? undefined : wholeNumber(versionText);
  const versionTag = ctx.expression(element, `${prefix}VersionTag`, text(element, `${prefix}VersionTag`), 'literal', execution);
  const known = (BINDINGS as readonly string[]).includes(binding);
  if (!known) ctx.report(element, `The ${prefix}Binding '${binding}' of ${describe(element)} is not supported (use ${BINDINGS.join(', ')})`);
  if (versionText !== undefined && version === undefined) {
    ctx.report(element, `The ${prefix}Version of ${describe(element)} ('${versionText}') is not a whole number`);
  }
  if (binding === 'version' && versionText === undefined) ctx.report(element, `${describe(element)} binds by version but has no ${prefix}Version`);
  if (binding === 'versionTag' && versionTag === undefined) ctx.report(element, `${describe(element)} binds by versionTag but has no ${prefix}VersionTag`);
  return { binding: known ? binding as Binding['binding'] : 'latest', version, versionTag };
}
