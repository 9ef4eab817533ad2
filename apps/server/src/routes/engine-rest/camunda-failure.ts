// Camunda 7 answers some refusals with a status and exception type that differ from one endpoint to the
// next (a missing task a 500 NullValueException at one, a 404 at another; a job that fails when run by
// hand a 500 RestException), which the shared mapping of the engine's error codes cannot give.
import type { FastifyError, FastifyInstance } from 'fastify';

/** an answer of Camunda's whose status and type the shared error mapping does not give */
export class CamundaFailure extends Error {
  constructor(readonly status: number, readonly type: string, message: string) {
    super(message);
  }
}

/** the routes of `app` answer a CamundaFailure as it says; any other error goes on to the shared mapping */
export function answerCamundaFailures(app: FastifyInstance): void {
  app.setErrorHandler(async (err: FastifyError | CamundaFailure, _request, reply) => {
    if (!(err instanceof CamundaFailure)) throw err;
    return reply.code(err.status).send({ type: err.type, message: err.message });
  });
}
