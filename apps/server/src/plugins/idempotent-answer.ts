// The answer kept for an Idempotency-Key, as a repeat of the request gets it. A command takes its key as it
// commits, and its answer is kept a moment later: a repeat arriving in between, on this process or another,
// waits for the answer rather than running the command again. A key whose answer never comes (its process
// stopped between the commit and the answer) is answered as a command that took effect, with its answer lost.
import { setTimeout as sleep } from 'node:timers/promises';
import { ANSWER_PENDING, type Engine, type IdempotentAnswer } from '@dadms/process-engine';
import { errorBody, STATUS_BY_CODE } from '../http-errors.js';

export interface AnswerWait {
  /** ms after a command took its key beyond which its answer is taken as lost */
  lostAfterMs: number;
}

/** waits while the kept answer is pending; bounded by its first wait and lostAfterMs */
const FIRST_POLL_MS = 5;
const MAX_POLL_MS = 100;

/**
 * What is kept for the key once no answer is pending any more: undefined when nothing holds it (the
 * command that took it rolled back). A row of another request is answered at once, pending or not.
 */
export async function settledAnswer(engine: Engine, key: string, requestHash: string, wait: AnswerWait): Promise<IdempotentAnswer | undefined> {
  for (let pollMs = FIRST_POLL_MS; ; pollMs = Math.min(MAX_POLL_MS, pollMs * 2)) {
    const stored = await engine.recallIdempotent(key);
    if (!stored || stored.status_code !== ANSWER_PENDING || stored.request_hash !== requestHash) return stored;
    if (Date.now() - stored.created_at.getTime() > wait.lostAfterMs) return stored;
    await sleep(pollMs);
  }
}

export interface Answer {
  status: number;
  /** the body as sent: JSON, or '' for none */
  body: string;
  /** the kept answer of the request, sent again */
  replayed: boolean;
}

const conflict = (message: string, details: Record<string, unknown>): Answer =>
  ({ status: STATUS_BY_CODE.CONFLICT, body: JSON.stringify(errorBody('CONFLICT', message, details)), replayed: false });

/** the kept answer, or the 409 that an answer kept for another request, or one that was lost, calls for */
export function answerFor(key: string, requestHash: string, stored: IdempotentAnswer): Answer {
  if (stored.request_hash !== requestHash) {
    return conflict(`The Idempotency-Key '${key}' was already used for a different request`, { idempotency_key: key });
  }
  if (stored.status_code === ANSWER_PENDING) {
    return conflict(`The request sent with Idempotency-Key '${key}' took effect, but the service stopped before its answer `
      + 'was kept: it is not run again, and its answer cannot be given', { idempotency_key: key, answer: 'lost' });
  }
  return { status: stored.status_code, body: stored.response, replayed: true };
}
