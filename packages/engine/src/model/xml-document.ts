// What reading a BPMN or DMN document shares before and around its parser: the size limit, the encoding,
// what no document may hold, and the parser's failures in words.
import { EngineError } from '../errors.js';
import { decodeXml } from './decode-xml.js';

/**
 * What the parser may not see: a DTD, which has no business in BPMN or DMN and is how entity-expansion and
 * external-entity attacks arrive (the parser would neither expand nor fetch it, but it is refused
 * outright), and NUL, which XML does not allow and PostgreSQL cannot store (the parser would pass it on).
 */
const FORBIDDEN: readonly (readonly [RegExp, string])[] = [
  [/<!(DOCTYPE|ENTITY)/i, 'The document contains a DOCTYPE or ENTITY declaration; DTDs are refused, never expanded or fetched'],
  [/\u0000|&#(x0*|0+);/i, 'The document contains a NUL character (U+0000 or &#0;), which XML does not allow'],
];

/**
 * The document as text, once it is small enough (else PAYLOAD_TOO_LARGE naming `language`), decoded, and
 * free of what the parser may not see; `refuse` makes the error for a document that is not.
 */
export function acceptedXmlText(xml: string | Uint8Array, maxBytes: number, language: string, refuse: (message: string) => EngineError): string {
  const size = typeof xml === 'string' ? Buffer.byteLength(xml, 'utf8') : xml.byteLength;
  if (size > maxBytes) {
    throw new EngineError('PAYLOAD_TOO_LARGE', `The ${language} document has ${size} bytes; at most ${maxBytes} are accepted`, {
      details: { size, max_bytes: maxBytes },
    });
  }
  const decoded = typeof xml === 'string' ? { text: xml.replace(/^\uFEFF/, '') } : decodeXml(xml);
  if ('problem' in decoded) throw refuse(decoded.problem);
  const forbidden = FORBIDDEN.find(([pattern]) => pattern.test(decoded.text));
  if (forbidden !== undefined) throw refuse(forbidden[1]);
  return decoded.text;
}

/** how moddle reports what it could not read: the content, its line and column (from 0), and why */
export const UNPARSABLE = /^unparsable content ([\s\S]*?)\s*detected\s+line: (\d+)\s+column: (\d+)\s+nested error: ([\s\S]*)$/;

/** moddle counts lines and columns from 0 */
export const position = (line: string, column: string): string => `line ${Number(line) + 1}, column ${Number(column) + 1}`;

/** why the parser failed, in words; `wrongRoot` when the document is not of the language expected */
export function unreadableXml(error: unknown, wrongRoot: string): string {
  const message = error instanceof Error ? error.message : String(error);
  if (message.startsWith('failed to parse document as')) return wrongRoot;
  const detail = UNPARSABLE.exec(message);
  if (!detail) return `The document is not well-formed XML: ${message}`;
  const [, content, line, column, nested] = detail;
  const near = content === '' ? '' : ` near ${content!.slice(0, 60).replace(/[\u0000-\u001f\u007f-\u009f\ufffd]/g, '?')}`;
  return `The document is not well-formed XML: ${nested!.trim()} at ${position(line!, column!)}${near}`;
}
