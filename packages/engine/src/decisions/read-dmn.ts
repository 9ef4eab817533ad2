import { DmnModdle } from 'dmn-moddle';
import { invalidDmn, type EngineError, type Problem } from '../errors.js';
import { acceptedXmlText, position, UNPARSABLE, unreadableXml } from '../model/xml-document.js';
import type { ModdleElement } from '../model/moddle-access.js';

const DEFAULT_MAX_DMN_BYTES = 5 * 1024 * 1024;
const DMN_MODEL_NAMESPACE = 'https://www.omg.org/spec/DMN/20191111/MODEL/';

/**
 * dmn-moddle reads DMN 1.3 only. Camunda Modeler wrote DMN 1.1 (and 1.2) for years, and Camunda 7 still
 * deploys those files; decision tables and literal expressions are the same in all three, so the older
 * namespaces are read as 1.3. (A DMN 1.2 diagram stays in its own namespace, ignored like any vendor's.)
 */
const OLDER_NAMESPACES = new Set([
  'http://www.omg.org/spec/DMN/20151101/dmn.xsd',
  // what Camunda 7.4 wrote
  'http://www.omg.org/spec/DMN/20151101/dmn11.xsd',
  'http://www.omg.org/spec/DMN/20180521/MODEL/',
  // what Camunda 7.13 wrote
  'https://www.omg.org/spec/DMN/20191111/DMN13.xsd',
]);

const NAMESPACE_DECLARATION = /(\sxmlns(?::[\w.-]+)?\s*=\s*)(["'])([^"']*)\2/g;

export interface DmnReading {
  /** the dmn:Definitions root */
  readonly definitions: ModdleElement;
  /** DMN content the parser could not place */
  readonly problems: readonly Problem[];
}

const moddle = new DmnModdle();

/**
 * Reads DMN XML (text, or bytes in the encoding their XML declaration names) into the moddle tree.
 * A document that cannot be read at all (too large, a DTD, malformed, not DMN) is refused here.
 */
export async function readDmn(xml: string | Uint8Array, options: { readonly maxBytes?: number } = {}): Promise<DmnReading> {
  const text = acceptedXmlText(xml, options.maxBytes ?? DEFAULT_MAX_DMN_BYTES, 'DMN', refuse);
  const current = text.replace(NAMESPACE_DECLARATION, (declaration, name: string, quote: string, uri: string) =>
    OLDER_NAMESPACES.has(uri) ? `${name}${quote}${DMN_MODEL_NAMESPACE}${quote}` : declaration);
  const result = await moddle.fromXML(current, 'dmn:Definitions').catch((error: unknown): never => {
    throw refuse(unreadableXml(error, `The document is not DMN: its root element must be <definitions> of the namespace ${DMN_MODEL_NAMESPACE} (or of DMN 1.1 or 1.2)`));
  });
  return { definitions: result.rootElement, problems: result.warnings.flatMap((warning) => warningProblem(warning.message, result.rootElement)) };
}

function refuse(message: string): EngineError {
  return invalidDmn([{ element_id: null, message }]);
}

/**
 * The parser drops what it cannot place and warns. Content of other vocabularies (modeler layout,
 * vendor extensions) is ignored, as Camunda 7 ignores it; DMN content that was dropped, or ids used
 * twice, would change what the decisions mean, so they are problems.
 */
function warningProblem(message: string, definitions: ModdleElement): Problem[] {
  const detail = UNPARSABLE.exec(message);
  if (detail === null) return [];
  const [, content, line, column, nested] = detail;
  const where = position(line!, column!);
  const reason = nested!.trim();
  if (reason.startsWith('unexpected body text')) return [];
  const duplicate = /^duplicate ID <([\s\S]*)>$/.exec(reason);
  if (duplicate) return [{ element_id: duplicate[1]!, message: `The id '${duplicate[1]}' is used by more than one element (again at ${where})` }];
  const unknown = /^(?:unknown type|unrecognized element) <(?:([^:>]*):)?[^>]*>$/.exec(reason);
  if (unknown) {
    const prefix = unknown[1];
    const namespace = prefix === 'dmn' ? DMN_MODEL_NAMESPACE : definitions.$attrs?.[prefix === undefined ? 'xmlns' : `xmlns:${prefix}`];
    if (namespace !== DMN_MODEL_NAMESPACE) return [];
    return [{ element_id: null, message: `The element ${content} at ${where} is not DMN or not allowed there; it was not read` }];
  }
  return [{ element_id: null, message: `The element ${content} at ${where} could not be read: ${reason}` }];
}
