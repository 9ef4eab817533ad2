// Data a screen shows: fetched when its inputs change, fetched again quietly whenever the service's
// state may have changed, with the loading and error states the screen renders.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { anyChange, onServerChange, type Relevance } from './live-updates.js';

export interface Resource<T> {
  data: T | undefined;
  error: Error | undefined;
  loading: boolean;
  reload(): void;
}

/**
 * `enabled: false` holds the fetch back (the resource stays loading): the embedded store answers one
 * query at a time, so a screen asks for what it shows first before what takes longer. `live` says which
 * events make it fetch again (any change by default), or false for none.
 */
export function useResource<T>(load: () => Promise<T>, inputs: readonly unknown[], options: { live?: false | Relevance; enabled?: boolean } = {}): Resource<T> {
  const enabled = options.enabled !== false;
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({ loading: true });
  const loadRef = useRef(load);
  loadRef.current = load;
  // answers to earlier inputs that arrive late are dropped
  const generation = useRef(0);

  const fetchNow = useCallback((quiet: boolean) => {
    const mine = ++generation.current;
    if (!quiet) setState((s) => ({ data: s.data, loading: true }));
    loadRef.current().then(
      (data) => { if (mine === generation.current) setState({ data, loading: false }); },
      (error: Error) => { if (mine === generation.current) setState((s) => ({ data: quiet ? s.data : undefined, error, loading: false })); },
    );
  }, []);

  useEffect(() => {
    setState({ loading: true });
    if (enabled) fetchNow(false);
  }, [enabled, ...inputs]);

  const relevant = useRef<false | Relevance>(anyChange);
  relevant.current = options.live ?? anyChange;
  const live = relevant.current !== false;
  useEffect(() => (!live || !enabled ? undefined : onServerChange(() => fetchNow(true), (event) => relevant.current !== false && relevant.current(event))), [live, enabled, fetchNow]);

  return { data: state.data, error: state.error, loading: state.loading, reload: () => fetchNow(true) };
}
