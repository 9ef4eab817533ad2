// JSON request bodies: refused when nested deeper than the configured depth, before they are parsed, so
// a hostile body cannot exhaust the stack of the parser or of anything that walks the result later.
import { EngineError } from '@dadms/process-engine';
import type { FastifyInstance } from 'fastify';

/** True when the text opens more than `max` arrays or objects inside one another. Strings are skipped. */
function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // backslash: the next character is escaped
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) return true;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return false;
}

export function registerJsonBodyParser(app: FastifyInstance, maxDepth: number): void {
  // Fastify's own parser keeps its protection against __proto__ and constructor keys.
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, text, done) => {
    const body = text as string;
    // A command without arguments sent with a JSON content type and no body is taken as no body.
    if (body.trim() === '') return done(null, undefined);
    if (nestedDeeperThan(body, maxDepth)) {
      return done(new EngineError('VALIDATION_ERROR', `The JSON body is nested deeper than ${maxDepth} levels`), undefined);
    }
    parse(request, body, done);
  });
}
