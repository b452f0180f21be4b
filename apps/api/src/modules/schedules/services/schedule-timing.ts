import { parseDuration } from '@trellis/dag-interpreter';
import type { ValidationIssue } from '../../../common/exceptions/trellis-exception.js';
import { cronExpressionProblem } from './cron-expression.js';

/**
 * Smallest catch-up window (ms). The Temporal server raises anything shorter to 10 s (its
 * `minCatchupWindow`), which would leave the stored value and Temporal's forever different.
 */
export const MIN_CATCHUP_WINDOW_MS = 10_000;
/** Temporal's catch-up window when none is given (ms): one year (server default of `catchup_window`). */
export const DEFAULT_CATCHUP_WINDOW_MS = 365 * 86_400_000;
/** Temporal intervals have whole-second resolution (the server rounds to the nearest second) (ms). */
const INTERVAL_RESOLUTION_MS = 1_000;

/** When a schedule fires, as stored on its row. */
export interface ScheduleTiming {
  cron: string | null;
  interval: string | null;
  timezone: string;
  catchupWindow: string | null;
}

/**
 * Checks a schedule's timing fields and returns every problem, with paths under `prefix`
 * (`input.cron`, `input.interval`, `input.timezone`, `input.catchupWindow`):
 * exactly one of `cron` (standard 5 fields, see {@link cronExpressionProblem}) and `interval` (a duration
 * string of whole seconds, at least 1 s); a time zone the runtime's ICU data knows (IANA names such as
 * `Europe/Paris` or `UTC`; offsets such as `+01:00` are refused because Temporal loads zones by name); a
 * catch-up window of at least {@link MIN_CATCHUP_WINDOW_MS}.
 */
export function scheduleTimingIssues(timing: ScheduleTiming, prefix: string): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  if (timing.cron === null && timing.interval === null) {
    issues.push({ path: `${prefix}.cron`, message: 'either cron or interval is required' });
  } else if (timing.cron !== null && timing.interval !== null) {
    issues.push({ path: `${prefix}.interval`, message: 'cannot be combined with cron: give exactly one' });
  }
  if (timing.cron !== null) {
    const problem = cronExpressionProblem(timing.cron);
    if (problem) issues.push({ path: `${prefix}.cron`, message: problem });
  }
  if (timing.interval !== null) {
    const problem = durationProblem(timing.interval, INTERVAL_RESOLUTION_MS);
    if (problem) issues.push({ path: `${prefix}.interval`, message: problem });
    else if (parseDuration(timing.interval) % INTERVAL_RESOLUTION_MS !== 0) {
      issues.push({ path: `${prefix}.interval`, message: 'must be a whole number of seconds' });
    }
  }
  if (!isKnownTimeZone(timing.timezone)) {
    issues.push({ path: `${prefix}.timezone`, message: `unknown time zone "${timing.timezone}"` });
  }
  if (timing.catchupWindow !== null) {
    const problem = durationProblem(timing.catchupWindow, MIN_CATCHUP_WINDOW_MS);
    if (problem) issues.push({ path: `${prefix}.catchupWindow`, message: problem });
  }
  return issues;
}

/** A duration string's problem (not a duration, or shorter than `minimumMs`), or null. */
function durationProblem(text: string, minimumMs: number): string | null {
  let milliseconds: number;
  try {
    milliseconds = parseDuration(text);
  } catch (error) {
    return (error as RangeError).message;
  }
  return milliseconds < minimumMs ? `must be at least ${minimumMs / 1_000}s` : null;
}

/**
 * True for time-zone names ICU knows. ICU also accepts UTC offsets (`+01:00`), which are not zone names,
 * and is case-insensitive where Temporal (Go's `time.LoadLocation`) is not; Temporal rejects those itself.
 */
export function isKnownTimeZone(timeZone: string): boolean {
  if (!/^[A-Za-z]/.test(timeZone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

/** The catch-up window sent to Temporal (ms): the stored duration, or Temporal's default. */
export function catchupWindowMs(catchupWindow: string | null): number {
  return catchupWindow === null ? DEFAULT_CATCHUP_WINDOW_MS : parseDuration(catchupWindow);
}
