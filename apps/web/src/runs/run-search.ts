/** The runs list's filters as they live in the URL (`/runs?agent=…&status=FAILED,CANCELLED&q=acme`). */
export interface RunSearch {
  agent?: string;
  version?: number;
  /** Comma-separated `RunStatus` values. */
  status?: string;
  /** Comma-separated `RunTrigger` values. */
  trigger?: string;
  schedule?: string;
  /** ISO instants: started at or after `from`, before `to`. */
  from?: string;
  to?: string;
  /** Text searched in the runs' input. */
  q?: string;
}

export const RUN_STATUSES = ['RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'CANCELLED'] as const;
export const RUN_TRIGGERS = ['API', 'SCHEDULE', 'WEBHOOK', 'SUBFLOW', 'RETRY'] as const;

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Only the known values of a comma-separated list, or undefined when none is left. */
function listOf(value: unknown, known: readonly string[]): string | undefined {
  const kept = (text(value) ?? '').split(',').filter((item) => known.includes(item));
  return kept.length ? kept.join(',') : undefined;
}

/** The router's `validateSearch`: unknown or malformed values are dropped, not errors. */
export function parseRunSearch(search: Record<string, unknown>): RunSearch {
  const version = Number(search.version);
  return {
    agent: text(search.agent),
    version: Number.isInteger(version) && version > 0 ? version : undefined,
    status: listOf(search.status, RUN_STATUSES),
    trigger: listOf(search.trigger, RUN_TRIGGERS),
    schedule: text(search.schedule),
    from: text(search.from),
    to: text(search.to),
    q: text(search.q),
  };
}

/** The URL's filters as the API's `RunFilterInput`. */
export function runFilterOf(search: RunSearch): Record<string, unknown> {
  return {
    ...(search.agent && { agentId: search.agent }),
    ...(search.agent && search.version && { version: search.version }),
    ...(search.status && { statuses: search.status.split(',') }),
    ...(search.trigger && { triggers: search.trigger.split(',') }),
    ...(search.schedule && { scheduleId: search.schedule }),
    ...(search.from && { startedAfter: new Date(search.from).toISOString() }),
    ...(search.to && { startedBefore: new Date(search.to).toISOString() }),
    ...(search.q && { inputContains: search.q }),
  };
}
