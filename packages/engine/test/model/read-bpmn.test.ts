import { describe, expect, it } from 'vitest';
import { isEngineError } from '../../src/errors.js';
import { compileDefinitions } from '../../src/model/compile-model.js';
import { compileOne, problemsOf, processXml } from './bpmn-documents.js';

const named = (name: string, encoding?: string) =>
  processXml(`<bpmn:startEvent id="Start" name="${name}" />`).replace('encoding="UTF-8"', encoding === undefined ? '' : `encoding="${encoding}"`);

function latin1(text: string): Uint8Array {
  return Uint8Array.from([...text].map((char) => char.charCodeAt(0)));
}

describe('reading bytes', () => {
  it('decodes UTF-8 by default, and honours a byte order mark', async () => {
    expect((await compileOne(new TextEncoder().encode(named('Prüfung', 'UTF-8')))).elements.get('Start')?.name).toBe('Prüfung');
    const withBom = new Uint8Array([0xef, 0xbb, 0xbf, ...new TextEncoder().encode(named('Prüfung'))]);
    expect((await compileDefinitions(withBom)).processes[0]!.elements.get('Start')?.name).toBe('Prüfung');
  });

  it('honours ISO-8859-1 and windows-1252 declarations', async () => {
    const iso = await compileDefinitions(latin1(named('Prüfung', 'ISO-8859-1')));
    expect(iso.processes[0]!.elements.get('Start')?.name).toBe('Prüfung');
    const cp1252 = named('Preis \x80', 'windows-1252');
    expect((await compileDefinitions(latin1(cp1252))).processes[0]!.elements.get('Start')?.name).toBe('Preis €');
  });

  it('decodes UTF-16 with a byte order mark', async () => {
    const text = named('Prüfung', 'UTF-16');
    const bytes = new Uint8Array(2 + text.length * 2);
    bytes.set([0xff, 0xfe]);
    for (let i = 0; i < text.length; i++) bytes[2 + i * 2] = text.charCodeAt(i);
    expect((await compileDefinitions(bytes)).processes[0]!.elements.get('Start')?.name).toBe('Prüfung');
  });

  it.each([
    ['bytes that are not UTF-8', latin1(named('Prüfung')), /not valid UTF-8 text/],
    ['an unknown encoding', latin1(named('x', 'x-klingon')), /encoding 'x-klingon' is not supported/],
    ['UTF-16 declared without byte order mark', latin1(named('x', 'UTF-16')), /declares 'utf-16' but is not encoded that way/],
  ])('refuses %s', async (_title, bytes, message) => {
    expect(await problemsOf(bytes)).toEqual([{ element_id: null, message: expect.stringMatching(message) }]);
  });
});

describe('reading documents', () => {
  it('refuses a document over the size limit with PAYLOAD_TOO_LARGE', async () => {
    const xml = processXml('<bpmn:startEvent id="Start" />');
    await expect(compileDefinitions(xml, { maxBytes: 100 })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await expect(compileDefinitions(new TextEncoder().encode(xml), { maxBytes: 100 })).rejects.toMatchObject({ code: 'PAYLOAD_TOO_LARGE' });
    await expect(compileDefinitions(xml, { maxBytes: xml.length })).resolves.toBeDefined();
  });

  it('has a default limit of 5 MiB', async () => {
    const padding = `<!-- ${'x'.repeat(5 * 1024 * 1024)} -->`;
    const error = await compileDefinitions(processXml(`<bpmn:startEvent id="Start" />${padding}`)).catch((e: unknown) => e);
    expect(isEngineError(error) && error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it.each([
    ['a DOCTYPE', '<!DOCTYPE definitions>', /DOCTYPE or ENTITY declaration/],
    ['an external entity', '<!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', /DOCTYPE or ENTITY declaration/],
    ['a lower-case doctype', '<!doctype definitions>', /DOCTYPE or ENTITY declaration/],
  ])('refuses %s before parsing', async (_title, declaration, message) => {
    const xml = processXml('<bpmn:startEvent id="Start" name="&xxe;" />').replace('?>', `?>${declaration}`);
    expect(await problemsOf(xml)).toEqual([{ element_id: null, message: expect.stringMatching(message) }]);
  });

  it.each([
    ['malformed XML', processXml('<bpmn:startEvent id="Start">'), /not well-formed XML: closing tag mismatch at line \d+, column \d+/],
    ['text', 'hello', /not well-formed XML/],
    ['an empty document', '', /not well-formed XML/],
    ['another vocabulary', '<html><body /></html>', /not BPMN 2\.0: its root element must be <definitions>/],
    ['a BPMN element as root', '<bpmn:process xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="P" />', /not BPMN 2\.0/],
  ])('refuses %s', async (_title, xml, message) => {
    expect(await problemsOf(xml)).toEqual([{ element_id: null, message: expect.stringMatching(message) }]);
  });

  it('reads documents that use another prefix or none for BPMN', async () => {
    const unprefixed = processXml('<bpmn:startEvent id="Start" />').replaceAll('bpmn:', '').replace('xmlns:bpmn=', 'xmlns=');
    expect((await compileOne(unprefixed)).noneStartEvent).toBe('Start');
    const semantic = processXml('<bpmn:startEvent id="Start" />').replaceAll('bpmn:', 'semantic:').replace('xmlns:bpmn=', 'xmlns:semantic=');
    expect((await compileOne(semantic)).noneStartEvent).toBe('Start');
  });
});
