/**
 * Duration strings of the DAG format (`"500ms"`, `"10s"`, `"5m"`, `"1h"`, `"1d"`) to milliseconds.
 * Workflow- and browser-safe: no imports.
 */

/** A duration string: an integer or decimal followed by ms, s, m, h or d (`"500ms"`, `"1.5s"`, `"1h"`). */
export const DURATION_PATTERN = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/;

const MILLISECONDS_PER_UNIT: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/**
 * Converts a duration string to whole milliseconds.
 *
 * Accepts an integer or decimal amount followed by `ms`, `s`, `m`, `h` or `d` (see `DURATION_PATTERN`),
 * e.g. `"1.5s"` → `1500`. Fractions of a millisecond are rounded to the nearest millisecond, because
 * Temporal timers and timeouts have millisecond resolution.
 *
 * @param text - the duration, without spaces (`"10s"`, not `"10 s"`).
 * @returns the duration in milliseconds (a non-negative safe integer).
 * @throws RangeError when `text` is not a duration string or is too large to represent in milliseconds.
 */
export function parseDuration(text: string): number {
  const match = typeof text === 'string' ? DURATION_PATTERN.exec(text) : null;
  if (!match) {
    throw new RangeError(
      `invalid duration ${JSON.stringify(text)}: expected a number followed by ms, s, m, h or d, such as "500ms", "10s", "5m", "1h" or "1d"`,
    );
  }
  const [, amount, unit] = match;
  const milliseconds = Math.round(Number(amount) * MILLISECONDS_PER_UNIT[unit]);
  if (!Number.isSafeInteger(milliseconds)) {
    throw new RangeError(`invalid duration ${JSON.stringify(text)}: too large`);
  }
  return milliseconds;
}
