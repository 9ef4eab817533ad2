// Tells the screens that the service's state may have changed, so they fetch again: on each event of the
// stream that concerns them, gathered over a short while (a command sends several at once), or, while the
// stream is refused or down, every few seconds. A hidden page fetches nothing; it catches up when shown.
import { useEffect, useState } from 'preact/hooks';
import { openEventStream, type ServerEvent, type StreamState } from './api/event-stream.js';


/** which events concern a screen */
export type Relevance = (event: ServerEvent) => boolean;

/** every change: the performance figures sent as each activity ends come with changes of their own */
export const anyChange: Relevance = (event) => event.type !== 'process_manager.analytics.performance';

export const taskChange: Relevance = (event) => event.type.startsWith('process_manager.task.');

export const instanceChange = (instanceId: string): Relevance => (event) => anyChange(event) && event.instance_id === instanceId;

const POLL_INTERVAL_MS = 5_000;
/** events are gathered this long before a screen fetches again… */
const GATHER_MS = 300;
/** …but under a steady flow of events, it still fetches this often */
const MOST_MS = 2_000;

interface Listener {
  notify(): void;
  relevant: Relevance;
  /** a change came while the page was hidden */
  missed: boolean;
  /** gathering events since, and until the timer fires */
  gathering?: { since: number; timer: ReturnType<typeof setTimeout> };
}

const listeners = new Set<Listener>();
const stateListeners = new Set<(state: StreamState) => void>();
let state: StreamState = 'connecting';
let streaming = false;
let wasDown = false;
let poll: ReturnType<typeof setInterval> | undefined;

const visible = () => document.visibilityState === 'visible';

function fire(listener: Listener): void {
  if (listener.gathering) clearTimeout(listener.gathering.timer);
  listener.gathering = undefined;
  if (!listeners.has(listener)) return;
  if (visible()) listener.notify();
  else listener.missed = true;
}

function changed(listener: Listener): void {
  const now = Date.now();
  const since = listener.gathering?.since ?? now;
  if (listener.gathering) clearTimeout(listener.gathering.timer);
  listener.gathering = { since, timer: setTimeout(() => fire(listener), Math.max(0, Math.min(GATHER_MS, since + MOST_MS - now))) };
}

function setState(next: StreamState): void {
  // while the stream was down, changes may have come unheard; the first opening comes with the first
  // screen's fetch, and only what commits in the moment between them waits for the next change
  const reopened = next === 'open' && wasDown;
  wasDown ||= next === 'down';
  state = next;
  if (reopened) for (const listener of listeners) changed(listener);
  // polling goes on while the stream tries to come back
  if (next === 'down') poll ??= setInterval(() => { for (const listener of listeners) fire(listener); }, POLL_INTERVAL_MS);
  else if (next === 'open' && poll !== undefined) {
    clearInterval(poll);
    poll = undefined;
  }
  for (const listener of stateListeners) listener(next);
}

/** one stream for the page's life, opened with the first screen: every screen listens */
function start(): void {
  if (streaming) return;
  streaming = true;
  openEventStream({
    event: (event) => { for (const listener of listeners) if (listener.relevant(event)) changed(listener); },
    state: setState,
  });
}

addEventListener('visibilitychange', () => {
  if (!visible()) return;
  for (const listener of listeners) {
    if (!listener.missed) continue;
    listener.missed = false;
    listener.notify();
  }
});

export function onServerChange(notify: () => void, relevant: Relevance = anyChange): () => void {
  const listener: Listener = { notify, relevant, missed: false };
  listeners.add(listener);
  start();
  return () => {
    if (listener.gathering) clearTimeout(listener.gathering.timer);
    listeners.delete(listener);
  };
}

/** whether screens hear of changes as they happen, or poll */
export function useLiveState(): StreamState {
  const [current, setCurrent] = useState(state);
  useEffect(() => {
    stateListeners.add(setCurrent);
    setCurrent(state);
    return () => { stateListeners.delete(setCurrent); };
  }, []);
  return current;
}
