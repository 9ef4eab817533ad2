// Runs a piece of work whenever asked, never twice at once: asked while it runs, it runs once more
// afterwards, however many times it was asked meanwhile, and not before `pauseMs` have passed. Wake-ups
// after every commit cost no more than the work they find, and under load each run finds more of it.
import { setTimeout as sleep } from 'node:timers/promises';

export class CoalescedRun {
  #running: Promise<void> | undefined;
  #again = false;

  constructor(private readonly work: () => Promise<void>, private readonly pauseMs = 0) {}

  trigger(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.work().finally(async () => {
      if (this.#again && this.pauseMs) await sleep(this.pauseMs);
      this.#running = undefined;
      if (this.#again) {
        this.#again = false;
        this.trigger();
      }
    });
  }

  /** resolves when no run is under way or asked for */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }
}
