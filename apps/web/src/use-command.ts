// A change a person asks for (claim, suspend, retry…): busy while it runs, its error kept to be shown.
import { useState } from 'preact/hooks';

export interface Command {
  busy: boolean;
  error: Error | undefined;
  /** runs the call; resolves with its answer, or undefined when it failed (the error is then kept) */
  run<T>(call: () => Promise<T>): Promise<T | undefined>;
}

export function useCommand(): Command {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error>();
  return {
    busy,
    error,
    run: async (call) => {
      setBusy(true);
      setError(undefined);
      try {
        return await call();
      } catch (e) {
        setError(e as Error);
        return undefined;
      } finally {
        setBusy(false);
      }
    },
  };
}
