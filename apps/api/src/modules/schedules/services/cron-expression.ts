/**
 * Strict syntax check of standard 5-field cron expressions, before Temporal's own parser (which also takes
 * 6- and 7-field forms, `@daily` shorthands, `@every` and `CRON_TZ=` prefixes) sees them. Temporal stays the
 * final judge: whatever it still rejects is reported at the same path.
 */

interface CronField {
  name: string;
  min: number;
  max: number;
  /** Accepted names (case-insensitive), mapped to their numbers. */
  names?: Readonly<Record<string, number>>;
}

const MONTH_NAMES = { JAN: 1, FEB: 2, MAR: 3, APR: 4, MAY: 5, JUN: 6, JUL: 7, AUG: 8, SEP: 9, OCT: 10, NOV: 11, DEC: 12 };
const DAY_NAMES = { SUN: 0, MON: 1, TUE: 2, WED: 3, THU: 4, FRI: 5, SAT: 6 };

/** The five fields in order; ranges as in Vixie cron's crontab(5) (day of week 0–7, 0 and 7 both Sunday). */
const FIELDS: readonly CronField[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES },
  { name: 'day of week', min: 0, max: 7, names: DAY_NAMES },
];

/** `*`, `value` or `value-value`, each optionally followed by a step `/n` (a lone value may not have one). */
const ITEM_PATTERN = /^(?:(\*)|([0-9A-Za-z]+)(?:-([0-9A-Za-z]+))?)(?:\/([0-9]+))?$/;

/**
 * Checks a standard 5-field cron expression: minute, hour, day of month, month, day of week, separated by
 * spaces. Each field is a comma-separated list of `*`, `a` or `a-b`, where `*` and `a-b` may take a step `/n`;
 * months and days of the week may also be written as three-letter English names (`JAN`, `MON`). Ranges must not wrap around
 * (`22-2` is refused, Temporal would silently read it as `22`).
 *
 * @returns null when the expression is valid, otherwise what is wrong with it
 */
export function cronExpressionProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== FIELDS.length || fields[0] === '') {
    return `must have 5 fields (minute hour day-of-month month day-of-week), got ${fields[0] === '' ? 0 : fields.length}`;
  }
  for (const [index, text] of fields.entries()) {
    const problem = fieldProblem(text, FIELDS[index]);
    if (problem) return `${FIELDS[index].name} field "${text}": ${problem}`;
  }
  return null;
}

function fieldProblem(text: string, field: CronField): string | null {
  for (const item of text.split(',')) {
    const match = ITEM_PATTERN.exec(item);
    if (!match) return `"${item}" is not *, a value, a range or a step`;
    const [, star, first, last, step] = match;
    if (step !== undefined) {
      const size = Number(step);
      if (size < 1 || size > field.max) return `step ${step} must be between 1 and ${field.max}`;
      if (!star && last === undefined) return `a step needs * or a range before it, such as */${step}`;
    }
    if (star) continue;
    const start = valueOf(first, field);
    if (typeof start === 'string') return start;
    if (last === undefined) continue;
    const end = valueOf(last, field);
    if (typeof end === 'string') return end;
    if (end < start) return `range ${first}-${last} runs backwards`;
  }
  return null;
}

function valueOf(token: string, field: CronField): number | string {
  if (/^[0-9]+$/.test(token)) {
    const value = Number(token);
    return value >= field.min && value <= field.max ? value : `${token} is outside ${field.min}-${field.max}`;
  }
  const named = field.names?.[token.toUpperCase()];
  if (named === undefined) {
    return field.names ? `"${token}" is not a number or a three-letter name` : `"${token}" is not a number`;
  }
  return named;
}
