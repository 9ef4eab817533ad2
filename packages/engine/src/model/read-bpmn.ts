import { createRequire } from 'node:module';
import { BpmnModdle, type ParseResult } from 'bpmn-moddle';
import { invalidBpmn, type EngineError, type Problem } from '../errors.js';
import { acceptedXmlText, unreadableXml } from './xml-document.js';
import { BPMN_MODEL_NAMESPACE, type ModdleElement } from './moddle-access.js';
import { readWarnings, type UnresolvedReferences } from './reader-warnings.js';

export const DEFAULT_MAX_BPMN_BYTES = 5 * 1024 * 1024;

export interface ReadOptions {
  /** documents larger than this are refused with PAYLOAD_TOO_LARGE (default 5 MiB) */
  readonly maxBytes?: number;
}

export interface BpmnReading {
  /** the bpmn:Definitions root */
  readonly definitions: ModdleElement;
  /** what the parser could not place or resolve */
  readonly problems: readonly Problem[];
  readonly unresolved: UnresolvedReferences;
}

const require = createRequire(import.meta.url);
const camunda = require('camunda-bpmn-moddle/resources/camunda.json') as Record<string, unknown>;
const zeebe = require('zeebe-bpmn-moddle/resources/zeebe.json') as { types: { name: string }[] };

// Both descriptors declare a `TemplateSupported` type that adds `modelerTemplate` to every flow element;
// moddle refuses the second definition and fails on every file. Modeler templates are an editor
// concern, so Zeebe's copy is left out.
const moddle = new BpmnModdle({
  camunda,
  zeebe: { ...zeebe, types: zeebe.types.filter((type) => type.name !== 'TemplateSupported') },
});

/**
 * Reads BPMN XML (text, or bytes in the encoding their XML declaration names) into the moddle tree.
 * A document that cannot be read at all (too large, a DTD, malformed, not BPMN) is refused here;
 * problems inside a readable document are returned, for the compiler to add its own.
 */
export async function readBpmn(xml: string | Uint8Array, options: ReadOptions = {}): Promise<BpmnReading> {
  const text = acceptedXmlText(xml, options.maxBytes ?? DEFAULT_MAX_BPMN_BYTES, 'BPMN', refuse);
  let result: ParseResult;
  try {
    result = await moddle.fromXML(text, 'bpmn:Definitions');
  } catch (error) {
    throw refuse(unreadableXml(error, `The document is not BPMN 2.0: its root element must be <definitions> of the namespace ${BPMN_MODEL_NAMESPACE}`));
  }
  const { problems, unresolved } = readWarnings(result.warnings, result.rootElement, result.elementsById);
  return { definitions: result.rootElement, problems, unresolved };
}

function refuse(message: string): EngineError {
  return invalidBpmn([{ element_id: null, message }]);
}

