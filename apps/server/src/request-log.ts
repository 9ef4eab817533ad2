// Fastify logs a line as each request arrives and one as it is answered, at info: two lines serialised and
// written to stdout for every call at the level the service runs at. Here they are logged at debug. A
// response that fails while being sent is still logged as an error, and failures are still logged where
// they are handled (plugins/errors.ts), with the request id.
import { LogController, type FastifyReply, type FastifyRequest } from 'fastify';

export class DebugRequestLog extends LogController {
  override incomingRequest(request: FastifyRequest): void {
    request.log.debug({ req: request }, 'incoming request');
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    if (error) super.requestCompleted(error, request, reply);
    else reply.log.debug({ res: reply, responseTime: reply.elapsedTime }, 'request completed');
  }
}
