import { createRequire } from 'node:module';
import { BpmnModdle, type ParseResult } from 'bpmn-moddle';
import { EngineError, invalidBpmn, type Problem } from '../errors.js';
import { decodeXml } from './decode-xml.js';
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
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BPMN_BYTES;
  const size = typeof xml === 'string' ? Buffer.byteLength(xml, 'utf8') : xml.byteLength;
  if (size > maxBytes) {
    throw new EngineError('PAYLOAD_TOO_LARGE', `The BPMN document has ${size} bytes; at most ${maxBytes} are accepted`, {
      details: { size, max_bytes: maxBytes },
    });
  }
  const text = typeof xml === 'string' ? xml.replace(/^\uFEFF/, '') : decoded(xml);
  // The parser never expands entities or fetches DTDs, but a DTD has no business in BPMN and is the
  // vehicle of entity-expansion and external-entity attacks, so any declaration is refused outright.
  if (/<!(DOCTYPE|ENTITY)/i.test(text)) {
    throw refuse('The document contains a DOCTYPE or ENTITY declaration; DTDs are refused, never expanded or fetched');
  }
  // XML allows no NUL character, and PostgreSQL stores none in text; the parser would pass one through.
  if (/\u0000|&#(x0*|0+);/i.test(text)) {
    throw refuse('The document contains a NUL character (U+0000 or &#0;), which XML does not allow');
  }
  let result: ParseResult;
  try {
    result = await moddle.fromXML(text, 'bpmn:Definitions');
  } catch (error) {
    throw refuse(unreadable(error));
  }
  const { problems, unresolved } = readWarnings(result.warnings, result.rootElement, result.elementsById);
  return { definitions: result.rootElement, problems, unresolved };
}

function decoded(bytes: Uint8Array): string {
  const result = decodeXml(bytes);
  if ('problem' in result) throw refuse(result.problem);
  return result.text;
}

function refuse(message: string): EngineError {
  return invalidBpmn([{ element_id: null, message }]);
}

function unreadable(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (/^failed to parse document as/.test(message)) {
    return `The document is not BPMN 2.0: its root element must be <definitions> of the namespace ${BPMN_MODEL_NAMESPACE}`;
  }
  const detail = /^unparsable content ([\s\S]*?)\s*detected\s+line: (\d+)\s+column: (\d+)\s+nested error: ([\s\S]*)$/.exec(message);
  if (detail) {
    const [, content, line, column, nested] = detail;
    const near = content === '' ? '' : ` near ${content!.slice(0, 60).replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '?')}`;
    return `The document is not well-formed XML: ${nested!.trim()} at line ${Number(line) + 1}, column ${Number(column) + 1}${near}`;
  }
  return `The document is not well-formed XML: ${message}`;
}
