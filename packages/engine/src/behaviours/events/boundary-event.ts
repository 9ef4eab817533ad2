import type { Behaviour } from '../behaviour.js';

/**
 * Entered when it catches (catch-event.ts), by the token of its activity or one beside it; it only moves
 * on. While the activity runs, its event definition listens (transitions.ts arms it).
 */
export const boundaryEvent: Behaviour = {
  activate: (ctx, token) => ctx.leave(token),
};
