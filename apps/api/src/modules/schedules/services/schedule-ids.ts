/** Prefix of the Temporal Schedules (and of their workflows' ids) that Trellis manages. */
export const TEMPORAL_SCHEDULE_PREFIX = 'trellis-schedule-';

/** The Temporal Schedule id of a schedule row: `trellis-schedule-<id>`. */
export function temporalScheduleId(scheduleId: string): string {
  return `${TEMPORAL_SCHEDULE_PREFIX}${scheduleId}`;
}

/**
 * The schedule row id behind a Temporal Schedule id, or null when the id is not one of Trellis'.
 */
export function scheduleIdOf(temporalId: string): string | null {
  if (!temporalId.startsWith(TEMPORAL_SCHEDULE_PREFIX)) return null;
  const id = temporalId.slice(TEMPORAL_SCHEDULE_PREFIX.length);
  return /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id) ? id : null;
}
