// Idempotency-Key on POST commands: a client that lost an answer sends the same request again with the same
// key and gets the first answer back, with nothing done twice.
// - Only 2xx answers are kept: a refused command committed nothing, so running it again is as safe as a
//   first try, and it may succeed now (a 409 because a task was claimed, say).
// - The same key with a different request (method, URL or body) is a 409 CONFLICT, never a replay.
// - Two requests with one key at once on this node: the second waits for the first and replays it.
import { createHash } from 'node:crypto';
import { EngineError } from '@dadms/process-engine';
import type { FastifyInstance, FastifyRequest } from 'fastify';

const HEADER = 'idempotency-key';
const MAX_KEY_LENGTH = 255;

interface Pending {
  key: string;
  hash: string;
  /** releases requests waiting for this key */
  done: () => void;
  /** answered from the store: nothing to keep */
  replay: boolean;
}

/** The caller is part of the request: another caller's key is a conflict, never a replay of its answer. */
const requestHash = (request: FastifyRequest): string =>
  createHash('sha256')
    .update(`${request.caller ? `${request.caller.user_id}\n` : ''}${request.method} ${request.url}\n${JSON.stringify(request.body ?? null)}`)
    .digest('hex');

export function registerIdempotency(scope: FastifyInstance): void {
  const inFlight = new Map<string, Promise<void>>();
  const pending = new WeakMap<FastifyRequest, Pending>();

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
    const claim: Pending = { key, hash, done, replay: false };
    pending.set(request, claim);

    const stored = await scope.engine.recallIdempotent(key);
    if (!stored) return;
    claim.replay = true;
    if (stored.request_hash !== hash) {
      throw new EngineError('CONFLICT', `The Idempotency-Key '${key}' was already used for a different request`, {
        details: { idempotency_key: key },
      });
    }
    reply.code(stored.status_code).header('idempotent-replayed', 'true');
    if (stored.response === '') return reply.send();
    return reply.type('application/json; charset=utf-8').send(stored.response);
  });

  scope.addHook('onSend', async (request, reply, payload) => {
    const claim = pending.get(request);
    if (!claim) return payload;
    pending.delete(request);
    try {
      if (!claim.replay && reply.statusCode >= 200 && reply.statusCode < 300) {
        await scope.engine.rememberIdempotent(claim.key, {
          request_hash: claim.hash,
          status_code: reply.statusCode,
          response: typeof payload === 'string' ? payload : '',
        });
      }
    } catch (err) {
      // The command itself has committed; its answer must still reach the client.
      request.log.warn({ err, idempotency_key: claim.key }, 'the answer could not be kept for its Idempotency-Key');
    } finally {
      inFlight.delete(claim.key);
      claim.done();
    }
    return payload;
  });
}
