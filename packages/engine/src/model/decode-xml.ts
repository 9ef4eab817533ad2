// XML files carry their encoding in a byte order mark or in the XML declaration; the parser takes text,
// so bytes are decoded here. MIWG files declare ISO-8859-1, Enterprise Architect writes windows-1252.

export type Decoded = { readonly text: string } | { readonly problem: string };

const DECLARED_ENCODING = /^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/;

// Node 20 decodes windows-1252 (and ISO-8859-1, which WHATWG maps to it) like latin1, leaving bytes
// 0x80–0x9F as C1 control characters; these are the characters windows-1252 assigns to them.
const WINDOWS_1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

export function decodeXml(bytes: Uint8Array): Decoded {
  const label = byteOrderMark(bytes) ?? declaredEncoding(bytes) ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true });
  } catch {
    return { problem: `The document's encoding '${label}' is not supported; use UTF-8` };
  }
  // A declaration readable as ASCII rules UTF-16 out: it would need a byte order mark.
  if (decoder.encoding.startsWith('utf-16') && byteOrderMark(bytes) === undefined) {
    return { problem: `The document declares '${label}' but is not encoded that way (no byte order mark)` };
  }
  try {
    const text = decoder.decode(bytes);
    if (decoder.encoding !== 'windows-1252') return { text };
    return { text: text.replace(/[\u0080-\u009f]/g, (char) => WINDOWS_1252_HIGH[char.charCodeAt(0) - 0x80]!) };
  } catch {
    return { problem: `The document is not valid ${decoder.encoding.toUpperCase()} text (is it an XML file, with its encoding declared?)` };
  }
}

function byteOrderMark(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  return undefined;
}

function declaredEncoding(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('windows-1252').decode(bytes.subarray(0, 256));
  return DECLARED_ENCODING.exec(head)?.[1]?.toLowerCase();
}
