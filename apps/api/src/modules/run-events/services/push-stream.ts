/**
 * An unbounded push queue exposed as an async iterator: what a GraphQL subscription resolver returns.
 */

/**
 * Values are `push`ed by the producer and pulled by graphql-ws through `next()`; `end()` finishes the
 * stream after the values already queued. When the consumer stops (`return()`, as graphql-js does when
 * the client unsubscribes or disconnects), `onClose` runs once so the producer can unregister.
 */
export class PushStream<T> implements AsyncIterableIterator<T> {
  private readonly queue: T[] = [];
  private readonly waiters: ((result: IteratorResult<T>) => void)[] = [];
  private ended = false;
  private closed = false;
  private released = false;

  constructor(private readonly onClose: () => void) {}

  /** Whether the stream accepts no more values (ended by the producer or closed by the consumer). */
  get finished(): boolean {
    return this.ended || this.closed;
  }

  /** Queues `value`, or hands it straight to a waiting `next()`. Ignored once finished. */
  push(value: T): void {
    if (this.finished) return;
    const waiter = this.waiters.shift();
    if (waiter) waiter({ value, done: false });
    else this.queue.push(value);
  }

  /** Ends the stream once the queued values are consumed. */
  end(): void {
    if (this.finished) return;
    this.ended = true;
    this.release();
    if (this.queue.length === 0) this.resolveWaiters();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queue.length > 0) {
      return Promise.resolve({ value: this.queue.shift() as T, done: false });
    }
    if (this.finished) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  return(): Promise<IteratorResult<T>> {
    this.closed = true;
    this.queue.length = 0;
    this.release();
    this.resolveWaiters();
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  private resolveWaiters(): void {
    for (const waiter of this.waiters.splice(0)) waiter({ value: undefined, done: true });
  }

  private release(): void {
    if (this.released) return;
    this.released = true;
    this.onClose();
  }
}
