/** How often {@link eventually} calls its check (ms). */
export const EVENTUALLY_POLL_MS = 100;

/**
 * Waits for a condition that becomes true on its own (a row written by the worker, a request
 * received, a workflow history event): calls `check` at once, then every {@link EVENTUALLY_POLL_MS}
 * ms, until it returns a truthy value, and resolves with that value.
 *
 * @param check - returns the awaited value, or a falsy one (`undefined`, `null`, `false`) while
 *   the condition does not hold yet; an error it throws is not retried.
 * @param timeoutMs - how long to keep polling (ms), default 15 s.
 * @returns the first truthy value `check` returned.
 * @throws Error `condition not met within <timeoutMs> ms` when it still returns falsy after
 *   `timeoutMs`; whatever `check` throws, as soon as it throws.
 */
export async function eventually<T>(check: () => T | undefined | null | false | Promise<T | undefined | null | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, EVENTUALLY_POLL_MS));
  }
}
