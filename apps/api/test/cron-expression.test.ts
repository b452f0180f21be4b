import { describe, expect, it } from 'vitest';
import { cronExpressionProblem } from '../dist/modules/schedules/services/cron-expression.js';

describe('cron expressions', () => {
  it.each([
    '* * * * *',
    '0 0 1 1 *',
    '*/15 9-17 * * MON-FRI',
    '30 6 1,15 jan-Jun 0',
    '0 0 * * 7',
    '5-50/5 * * * *',
    '  0   12 * * SUN ',
  ])('accepts %j', (expression) => {
    expect(cronExpressionProblem(expression)).toBeNull();
  });

  it.each([
    ['', 'must have 5 fields (minute hour day-of-month month day-of-week), got 0'],
    ['* * * *', 'must have 5 fields (minute hour day-of-month month day-of-week), got 4'],
    ['0 * * * * *', 'must have 5 fields (minute hour day-of-month month day-of-week), got 6'],
    ['@daily', 'must have 5 fields (minute hour day-of-month month day-of-week), got 1'],
    ['61 * * * *', 'minute field "61": 61 is outside 0-59'],
    ['0 24 * * *', 'hour field "24": 24 is outside 0-23'],
    ['0 0 0 * *', 'day of month field "0": 0 is outside 1-31'],
    ['0 0 * 13 *', 'month field "13": 13 is outside 1-12'],
    ['0 0 * * 8', 'day of week field "8": 8 is outside 0-7'],
    ['0 22-2 * * *', 'hour field "22-2": range 22-2 runs backwards'],
    ['5/2 * * * *', 'minute field "5/2": a step needs * or a range before it, such as */2'],
    ['*/0 * * * *', 'minute field "*/0": step 0 must be between 1 and 59'],
    ['*/60 * * * *', 'minute field "*/60": step 60 must be between 1 and 59'],
    ['0 0 * * FUNDAY', 'day of week field "FUNDAY": "FUNDAY" is not a number or a three-letter name'],
    ['0 0 * JAN-MON *', 'month field "JAN-MON": "MON" is not a number or a three-letter name'],
    ['x 0 * * *', 'minute field "x": "x" is not a number'],
    ['1,,2 * * * *', 'minute field "1,,2": "" is not *, a value, a range or a step'],
    ['0 0 ? * *', 'day of month field "?": "?" is not *, a value, a range or a step'],
  ])('refuses %j', (expression, problem) => {
    expect(cronExpressionProblem(expression)).toBe(problem);
  });
});
