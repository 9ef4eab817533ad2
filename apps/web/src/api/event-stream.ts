// One connection to GET /events/stream for the whole page, read with fetch (EventSource cannot send the
// bearer token). It starts from the newest event (`after=now`: the UI needs no history) and resumes with
// Last-Event-ID after a drop. A refused stream (no `events:read` role, no token) is asked for again now and
// then, since a sign-in or a new role may allow it later.
import { EventSourceParserStream } from 'eventsource-parser/stream';
import { API_BASE, authHeaders } from './client.js';

export interface ServerEvent {
  type: string;
  instance_id?: string;
}

export type StreamState = 'connecting' | 'open' | 'down';

export interface StreamHandlers {
  event(event: ServerEvent): void;
  /** the stream opened, or is down and the screens must poll */
  state(state: StreamState): void;
}

/** the server sends a comment every 15 s: a stream silent for longer has died without closing */
const SILENCE_MS = 45_000;
const FIRST_RETRY_MS = 1_000;
const LAST_RETRY_MS = 30_000;
const REFUSED_RETRY_MS = 60_000;

class Refused extends Error {}

export function openEventStream(handlers: StreamHandlers): void {
  let lastId: string | undefined;
  let retryMs = FIRST_RETRY_MS;

  const connect = async () => {
    const abort = new AbortController();
    handlers.state('connecting');
    let watchdog: ReturnType<typeof setTimeout> | undefined;
    const alive = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => abort.abort(), SILENCE_MS);
    };
    try {
      const headers: Record<string, string> = { accept: 'text/event-stream', ...authHeaders() };
      if (lastId) headers['last-event-id'] = lastId;
      const response = await fetch(`${API_BASE}/events/stream?after=now`, { headers, signal: abort.signal });
      if (response.status === 401 || response.status === 403) throw new Refused(`the event stream answered ${response.status}`);
      if (!response.ok || !response.body) throw new Error(`the event stream answered ${response.status}`);
      alive();
      handlers.state('open');
      retryMs = FIRST_RETRY_MS;
      // a reader rather than `for await`, which not every browser offers on a stream
      const reader = response.body.pipeThrough(new TextDecoderStream())
        .pipeThrough(new EventSourceParserStream({ onComment: alive })).getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) {
        alive();
        if (read.value.id) lastId = read.value.id;
        handlers.event(parse(read.value.event, read.value.data));
      }
      throw new Error('the event stream ended');
    } catch (e) {
      clearTimeout(watchdog);
      handlers.state('down');
      const wait = e instanceof Refused ? REFUSED_RETRY_MS : retryMs;
      retryMs = Math.min(retryMs * 2, LAST_RETRY_MS);
      setTimeout(() => void connect(), wait);
    }
  };

  void connect();
}

function parse(type: string | undefined, data: string): ServerEvent {
  try {
    const event = JSON.parse(data) as { type?: unknown; instance_id?: unknown };
    return {
      type: typeof event.type === 'string' ? event.type : type ?? '',
      ...(typeof event.instance_id === 'string' ? { instance_id: event.instance_id } : {}),
    };
  } catch {
    return { type: type ?? '' };
  }
}
