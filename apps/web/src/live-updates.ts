// Tells the screens that the service's state may have changed, so they fetch again. For now it ticks
// while the page is visible; once GET /events/stream is served, an EventSource behind this same function
// replaces the timer and no screen changes.
const POLL_INTERVAL_MS = 5_000;

const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;

function tick(): void {
  if (document.visibilityState === 'visible') for (const listener of listeners) listener();
}

export function onServerChange(listener: () => void): () => void {
  listeners.add(listener);
  timer ??= setInterval(tick, POLL_INTERVAL_MS);
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}
