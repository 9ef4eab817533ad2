// Idempotency-Key on POST commands: a client that lost an answer sends the same request again with the same
// key and gets the first answer back, with nothing done twice.
// - The command takes the key in its own transaction (engine.idempotent): the key and the command's effects
//   commit together. Of the requests with one key that reach several processes at once, one runs the command;
//   the others find the key taken, change nothing, and answer as it did once its answer is kept.
// - The answer is kept as it is sent, whatever its status, when the command committed. A request that
//   committed nothing keeps only a 2xx answer (a refused command may succeed when sent again: a 409 because
//   a task was claimed, say); that of a command with no transaction of its own, like fetch-and-lock, too.
// - The same key with a different request (method, URL or body) is a 409 CONFLICT, never a replay.
// - Two requests with one key at once on this process: the second waits for the first and replays it.
import { createHash } from 'node:crypto';
import { EngineError, isIdempotencyKeyTaken, type IdempotencyClaim } from '@dadms/process-engine';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { answerFor, settledAnswer, type Answer, type AnswerWait } from './idempotent-answer.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** the Idempotency-Key the request's command takes in its transaction; absent without the header */
    idempotency?: IdempotencyClaim;
  }
}

const HEADER = 'idempotency-key';
const MAX_KEY_LENGTH = 255;
/**
 * A process keeps its answer a moment after its command commits: one not kept after this long will not be.
 * Far above a moment, so that a process that is only slow is not taken for one that stopped.
 */
const ANSWER_LOST_AFTER_MS = 10_000;

interface Pending {
  claim: IdempotencyClaim;
  /** releases requests waiting for this key on this process */
  done: () => void;
  /** answered from the store: nothing to keep */
  replay: boolean;
  /** another request took the key first: this one answers as that one did */
  takenElsewhere: boolean;
}

/** The caller is part of the request: another caller's key is a conflict, never a replay of its answer. */
const requestHash = (request: FastifyRequest): string =>
  createHash('sha256')
    .update(`${request.caller ? `${request.caller.user_id}\n` : ''}${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');

function setAnswer(reply: FastifyReply, answer: Answer): string {
  reply.code(answer.status);
  if (answer.replayed) reply.header('idempotent-replayed', 'true');
  if (answer.body === '') reply.removeHeader('content-type');
  else reply.type('application/json; charset=utf-8');
  return answer.body;
}

export function registerIdempotency(scope: FastifyInstance, wait: AnswerWait = { lostAfterMs: ANSWER_LOST_AFTER_MS }): void {
  const inFlight = new Map<string, Promise<void>>();
  const pending = new WeakMap<FastifyRequest, Pending>();
  scope.decorateRequest('idempotency', undefined);

  scope.addHook('preHandler', async (request, reply) => {
    const key = request.headers[HEADER];
    if (request.method !== 'POST' || key === undefined) return;
    if (typeof key !== 'string' || key.length === 0 || key.length > MAX_KEY_LENGTH) {
      throw new EngineError('VALIDATION_ERROR', `The Idempotency-Key header must be one value of 1 to ${MAX_KEY_LENGTH} characters`);
    }
    const hash = requestHash(request);
    for (let running = inFlight.get(key); running; running = inFlight.get(key)) await running;
    // Claimed before the first await below, so a concurrent request with this key waits for this one.
    let done!: () => void;
    inFlight.set(key, new Promise<void>((resolve) => (done = resolve)));
    const claim: IdempotencyClaim = { key, request_hash: hash, taken: false };
    const state: Pending = { claim, done, replay: false, takenElsewhere: false };
    pending.set(request, state);

    const stored = await settledAnswer(scope.engine, key, hash, wait);
    if (!stored) {
      request.idempotency = claim;
      return;
    }
    state.replay = true;
    return reply.send(setAnswer(reply, answerFor(key, hash, stored)));
  });

  scope.addHook('onError', async (request, _reply, error) => {
    const state = pending.get(request);
    if (state && isIdempotencyKeyTaken(error)) state.takenElsewhere = true;
  });

  scope.addHook('onSend', async (request, reply, payload) => {
    const state = pending.get(request);
    if (!state) return payload;
    pending.delete(request);
    const { claim } = state;
    try {
      if (state.takenElsewhere) {
        const stored = await settledAnswer(scope.engine, claim.key, claim.request_hash, wait);
        if (stored) return setAnswer(reply, answerFor(claim.key, claim.request_hash, stored));
      } else if (!state.replay && (claim.taken || (reply.statusCode >= 200 && reply.statusCode < 300))) {
        await scope.engine.rememberIdempotent(claim.key, {
          request_hash: claim.request_hash,
          status_code: reply.statusCode,
          response: typeof payload === 'string' ? payload : '',
        });
      }
    } catch (err) {
      // The command itself has committed (or another's has); this answer must still reach the client.
      request.log.warn({ err, idempotency_key: claim.key }, 'the answer could not be kept or read for its Idempotency-Key');
    } finally {
      inFlight.delete(claim.key);
      state.done();
    }
    return payload;
  });
}
