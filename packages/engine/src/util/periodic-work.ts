// Work the engine repeats in the background while it is open (the history cleanup, the embedded store's
// vacuum): a run that is still going when the next is due is not doubled, and close() waits for it.
import { settlesBefore } from '../jobs/closing.js';

export class PeriodicWork {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<unknown> | undefined;

  /** `intervalMs` 0: never runs; a failure is logged with `failure` and the next run tries again */
  constructor(
    private readonly run: () => Promise<unknown>,
    private readonly settings: { intervalMs: number; failure: string; logError(error: unknown, message: string): void },
  ) {}

  start(): void {
    if (this.settings.intervalMs <= 0) return;
    this.#timer = setInterval(() => {
      this.#running ??= this.run()
        .catch((e) => this.settings.logError(e, this.settings.failure))
        .finally(() => {
          this.#running = undefined;
        });
    }, this.settings.intervalMs);
    this.#timer.unref();
  }

  /** the database must not close under a run: it is waited for until the engine gives up */
  async close(givenUp: AbortSignal): Promise<void> {
    clearInterval(this.#timer);
    if (this.#running) await settlesBefore(this.#running, givenUp);
  }
}
