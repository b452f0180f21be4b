/**
 * A background loop of "passes" for reconcilers: one pass at a time, the next one scheduled only once the
 * previous settled, and a stop that waits for the pass in flight.
 */

/** How a pass ended: its report, or what it threw. */
export type PassOutcome<T> = { ok: true; value: T } | { ok: false; error: unknown };

export interface PeriodicPassOptions<T> {
  /** One pass. It should read {@link PeriodicPass.stopped} between steps to return early on shutdown. */
  run: () => Promise<T>;
  /** Delay before the next pass (ms), given how this one ended; log failures here. */
  next: (outcome: PassOutcome<T>) => number;
}

/**
 * Runs `run` after `start`'s delay, then again after each `next(outcome)` delay, until `stop`. Passes never
 * overlap. The timer is unref'd: a pending pass does not keep the process alive.
 */
export class PeriodicPass<T> {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> | undefined;
  private stopping = false;

  constructor(private readonly options: PeriodicPassOptions<T>) {}

  /** True once {@link stop} was called. */
  get stopped(): boolean {
    return this.stopping;
  }

  /** Schedules the first pass `delayMs` from now. */
  start(delayMs: number): void {
    this.schedule(delayMs);
  }

  /** Cancels the pending pass and waits for the one in flight, if any (it never rejects). */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    await this.pass;
  }

  private schedule(delayMs: number): void {
    if (this.stopping) return;
    this.timer = setTimeout(() => {
      this.pass = this.options.run().then(
        (value) => this.schedule(this.options.next({ ok: true, value })),
        (error: unknown) => this.schedule(this.options.next({ ok: false, error })),
      );
    }, delayMs);
    this.timer.unref();
  }
}
