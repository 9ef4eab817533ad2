// The body formats a deployment accepts besides JSON: a raw XML document, and multipart/form-data whose
// parts become plain string fields, so that every format is validated by one kind of schema.
import multipart, { type Multipart } from '@fastify/multipart';
import { decodeXml, EngineError } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';

const tooLarge = (limit: number) => new EngineError('PAYLOAD_TOO_LARGE', `A deployment may be at most ${limit} bytes`);

/** a model travels as bytes in the encoding its XML declaration names (MIWG files are ISO-8859-1) */
function modelText(bytes: Uint8Array): string {
  const decoded = decodeXml(bytes);
  if ('problem' in decoded) throw new EngineError('INVALID_BPMN', decoded.problem, { details: { problems: [{ element_id: null, message: decoded.problem }] } });
  return decoded.text;
}

async function partValue(part: Multipart, limit: number): Promise<string> {
  if (part.type === 'file') return modelText(await part.toBuffer());
  // Busboy cuts an over-long field silently; refuse it rather than deploy half a model.
  if (part.valueTruncated) throw tooLarge(limit);
  return String(part.value);
}

export async function registerModelUpload(scope: FastifyInstance, limit: number): Promise<void> {
  scope.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'buffer' }, (_request, xml, done) => {
    try {
      done(null, modelText(xml as Buffer));
    } catch (e) {
      done(e as Error);
    }
  });

  await scope.register(multipart, {
    attachFieldsToBody: true,
    limits: { fileSize: limit, fieldSize: limit, files: 2, parts: 10 },
  });

  // Multipart is streamed past Fastify's body limit; a declared length over the limit is refused before reading.
  scope.addHook('onRequest', async (request) => {
    if (request.headers['content-type']?.startsWith('multipart/') && Number(request.headers['content-length']) > limit) {
      throw tooLarge(limit);
    }
  });

  // Runs after the multipart plugin's own preValidation hook has collected the parts into the body.
  scope.addHook('preValidation', async (request) => {
    if (!request.isMultipart()) return;
    const fields: Record<string, string | string[]> = {};
    for (const [name, part] of Object.entries((request.body ?? {}) as Record<string, Multipart | Multipart[]>)) {
      fields[name] = Array.isArray(part)
        ? await Promise.all(part.map((p) => partValue(p, limit)))
        : await partValue(part, limit);
    }
    request.body = fields;
  });
}
