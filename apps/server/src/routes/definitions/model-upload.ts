// The body formats a deployment accepts besides JSON: a raw XML document, and multipart/form-data whose
// parts become plain string fields, so that every format is validated by one kind of schema.
import multipart, { type Multipart } from '@fastify/multipart';
import { decodeXml, EngineError, isEngineError } from '@dadms/process-engine';
import type { FastifyError, FastifyInstance, FastifyRequest } from 'fastify';
import { MAX_DECISION_FILES, MAX_FORMS } from './schemas.js';

const tooLarge = (limit: number) => new EngineError('PAYLOAD_TOO_LARGE', `A deployment may be at most ${limit} bytes`);

type Language = 'BPMN' | 'DMN';

/** a model travels as bytes in the encoding its XML declaration names (MIWG files are ISO-8859-1) */
function modelText(bytes: Uint8Array, language: Language): string {
  const decoded = decodeXml(bytes);
  if ('problem' in decoded) throw new EngineError(`INVALID_${language}`, decoded.problem, { details: { problems: [{ element_id: null, message: decoded.problem }] } });
  return decoded.text;
}

async function partValue(part: Multipart, limit: number): Promise<string> {
  if (part.type === 'file') return modelText(await part.toBuffer(), part.fieldname === 'decision' ? 'DMN' : 'BPMN');
  // Busboy cuts an over-long field silently; refuse it rather than deploy half a model.
  if (part.valueTruncated) throw tooLarge(limit);
  return String(part.value);
}

/** The parts of a multipart body as fields; a part named twice gives a list. */
async function multipartFields(request: FastifyRequest, limit: number): Promise<Record<string, string | string[]>> {
  const fields: Record<string, string | string[]> = {};
  try {
    for await (const part of request.parts()) {
      const value = await partValue(part, limit);
      const earlier = fields[part.fieldname];
      fields[part.fieldname] = earlier === undefined ? value : [...[earlier].flat(), value];
    }
  } catch (error) {
    // Limits and models refused keep their own answer; anything else the reader met is the body's fault:
    // cut short, a boundary that never comes, a broken part header.
    if (isEngineError(error) || (error as FastifyError).statusCode !== undefined) throw error;
    throw new EngineError('VALIDATION_ERROR', `The multipart body cannot be read: ${(error as Error).message}`, {
      details: { errors: [{ location: 'body', path: '', keyword: 'multipart', message: (error as Error).message }] },
    });
  }
  return fields;
}

/** `language`: what a raw XML body holds */
export async function registerModelUpload(scope: FastifyInstance, limit: number, language: Language): Promise<void> {
  scope.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'buffer' }, (_request, xml, done) => {
    try {
      done(null, modelText(xml as Buffer, language));
    } catch (e) {
      done(e as Error);
    }
  });

  await scope.register(multipart, {
    // the model, its forms and its decisions
    limits: { fileSize: limit, fieldSize: limit, files: MAX_FORMS + MAX_DECISION_FILES + 2, parts: MAX_FORMS + MAX_DECISION_FILES + 10 },
  });

  // Multipart is streamed past Fastify's body limit; a declared length over the limit is refused before reading.
  scope.addHook('onRequest', async (request) => {
    if (request.headers['content-type']?.startsWith('multipart/') && Number(request.headers['content-length']) > limit) {
      throw tooLarge(limit);
    }
  });

  // The parts become the body before it is validated, as if they had come as JSON.
  scope.addHook('preValidation', async (request) => {
    if (request.isMultipart()) request.body = await multipartFields(request, limit);
  });
}

type Upload<K extends string> = { [P in K]?: string } & { file?: string; data?: string };

/**
 * The model of a deployment, whichever body format was sent: JSON names it `key`, multipart sends it as a
 * `file` or `data` part, a raw XML body is the model alone; `rest`, the body's other fields. `what` names
 * the model in the error for a body that has none.
 */
export function uploadedModel<K extends 'bpmn_xml' | 'dmn_xml', B extends Upload<K>>(body: string | B | undefined, key: K, what: string): { xml: string; rest: Omit<B, K | 'file' | 'data'> } {
  if (body === undefined) {
    throw new EngineError('VALIDATION_ERROR', `A deployment needs ${what}: JSON \`${key}\`, a multipart \`file\` or \`data\` part, or an XML body`);
  }
  if (typeof body === 'string') return { xml: body, rest: {} as Omit<B, K | 'file' | 'data'> };
  const { [key]: json, file, data, ...rest } = body;
  return { xml: (json ?? file ?? data)!, rest };
}
