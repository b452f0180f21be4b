import { describe, expect, it } from 'vitest';
import { scheduleIdOf, temporalScheduleId } from '../dist/modules/schedules/services/schedule-ids.js';
import {
  catchupWindowMs,
  DEFAULT_CATCHUP_WINDOW_MS,
  isKnownTimeZone,
  scheduleTimingIssues,
} from '../dist/modules/schedules/services/schedule-timing.js';

const timing = (fields: Partial<Parameters<typeof scheduleTimingIssues>[0]>) => ({
  cron: null,
  interval: null,
  timezone: 'UTC',
  catchupWindow: null,
  ...fields,
});

describe('schedule timing', () => {
  it.each([
    { cron: '0 9 * * MON-FRI', timezone: 'Europe/Paris' },
    { interval: '1s' },
    { interval: '90s', catchupWindow: '10s' },
    { interval: '1h', timezone: 'America/New_York', catchupWindow: '1d' },
  ])('accepts %j', (fields) => {
    expect(scheduleTimingIssues(timing(fields), 'input')).toEqual([]);
  });

  it.each([
    [{}, [{ path: 'input.cron', message: 'either cron or interval is required' }]],
    [{ cron: '* * * * *', interval: '1m' }, [{ path: 'input.interval', message: 'cannot be combined with cron: give exactly one' }]],
    [{ cron: '60 * * * *' }, [{ path: 'input.cron', message: 'minute field "60": 60 is outside 0-59' }]],
    [{ interval: '500ms' }, [{ path: 'input.interval', message: 'must be at least 1s' }]],
    [{ interval: '1500ms' }, [{ path: 'input.interval', message: 'must be a whole number of seconds' }]],
    [{ interval: 'soon' }, [{ path: 'input.interval', message: expect.stringMatching(/^invalid duration "soon"/) }]],
    [{ interval: '1m', timezone: 'Mars/Olympus' }, [{ path: 'input.timezone', message: 'unknown time zone "Mars/Olympus"' }]],
    [{ interval: '1m', timezone: '+01:00' }, [{ path: 'input.timezone', message: 'unknown time zone "+01:00"' }]],
    [{ interval: '1m', catchupWindow: '9s' }, [{ path: 'input.catchupWindow', message: 'must be at least 10s' }]],
  ])('refuses %j with a path', (fields, issues) => {
    expect(scheduleTimingIssues(timing(fields), 'input')).toEqual(issues);
  });

  it('reports every problem at once, under the given prefix', () => {
    const issues = scheduleTimingIssues(timing({ cron: '* *', timezone: 'Nowhere', catchupWindow: 'later' }), 'schedule');
    expect(issues.map((issue) => issue.path)).toEqual(['schedule.cron', 'schedule.timezone', 'schedule.catchupWindow']);
  });

  it('knows IANA zone names only', () => {
    expect(isKnownTimeZone('UTC')).toBe(true);
    expect(isKnownTimeZone('Europe/Paris')).toBe(true);
    expect(isKnownTimeZone('Mars/Olympus')).toBe(false);
    expect(isKnownTimeZone('-05:00')).toBe(false);
    expect(isKnownTimeZone('')).toBe(false);
  });

  it('sends the stored catch-up window, or Temporal’s one-year default', () => {
    expect(catchupWindowMs('5m')).toBe(300_000);
    expect(catchupWindowMs(null)).toBe(DEFAULT_CATCHUP_WINDOW_MS);
    expect(DEFAULT_CATCHUP_WINDOW_MS).toBe(365 * 24 * 3_600_000);
  });
});

describe('Temporal schedule ids', () => {
  const id = '6f1c1d4e-2b1a-4c3d-9e8f-0a1b2c3d4e5f';

  it('round-trips a schedule id', () => {
    expect(temporalScheduleId(id)).toBe(`trellis-schedule-${id}`);
    expect(scheduleIdOf(temporalScheduleId(id))).toBe(id);
  });

  it.each(['other-schedule', 'trellis-schedule-', 'trellis-schedule-not-a-uuid', `x-trellis-schedule-${id}`])(
    'ignores %j',
    (temporalId) => {
      expect(scheduleIdOf(temporalId)).toBeNull();
    },
  );
});
