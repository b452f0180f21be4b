import { validateRunInput } from '@trellis/dag-interpreter';
import { TrellisException, type ValidationIssue } from '../../../common/exceptions/trellis-exception.js';
import { assertIntInRange } from '../../../common/validation/argument-guards.js';
import {
  readDag,
  type AgentVersion,
  type PrismaJson,
  type ScheduleOverlapPolicy,
} from '../../../infrastructure/prisma/prisma-client.js';
import type { PrismaTransaction } from './schedule-lock.js';
import { scheduleTimingIssues } from './schedule-timing.js';
import { resolveScheduleVersion } from './schedule-version.js';
import { ScheduleSpecRejectedError } from './temporal-schedules.service.js';

/** Longest schedule note, in UTF-16 code units. */
const MAX_NOTE_LENGTH = 1_000;
/** Largest pinned version number: the `version` column is a Postgres `int4`. */
const MAX_VERSION = 2_147_483_647;

/** A schedule's editable fields, after defaults (as `create` and `update` assemble them). */
export interface ScheduleFields {
  /** Pinned version number; null follows the agent's live version. */
  version: number | null;
  /** 5-field cron expression, normalized by {@link normalizeCron}; null when `interval` is set. */
  cron: string | null;
  /** Duration string such as `30s`; null when `cron` is set. */
  interval: string | null;
  /** IANA time zone name. */
  timezone: string;
  /** Each run's input, checked against the version's `inputSchema`. */
  input: unknown;
  overlapPolicy: ScheduleOverlapPolicy;
  /** Duration string: how late a missed action may still run; null keeps Temporal's default (one year). */
  catchupWindow: string | null;
}

/**
 * Checks the fields and returns the version the schedule runs. Timing problems are gathered together with
 * the input's, so one answer names every field to fix.
 *
 * @param agentId the schedule's agent (already known to exist)
 * @throws TrellisException `BAD_USER_INPUT` with every problem found (paths `input.cron`, `input.interval`,
 *   `input.timezone`, `input.catchupWindow`, `input.version`, `input.input.…`), `NOT_FOUND` for an unknown
 *   version when the timing is otherwise valid
 */
export async function checkScheduleFields(
  tx: PrismaTransaction,
  agentId: string,
  fields: ScheduleFields,
): Promise<AgentVersion> {
  const issues: ValidationIssue[] = scheduleTimingIssues(fields, 'input');
  if (fields.version !== null) assertIntInRange(fields.version, 'input.version', 1, MAX_VERSION);
  let version: AgentVersion;
  try {
    version = await resolveScheduleVersion(tx, { agentId, version: fields.version });
  } catch (error) {
    if (issues.length > 0) throw TrellisException.badUserInput('Invalid schedule', issues);
    throw error;
  }
  const inputSchema = readDag(version).inputSchema;
  for (const issue of validateRunInput(inputSchema, fields.input)) {
    issues.push({ path: `input.${issue.path}`, message: issue.message });
  }
  if (issues.length > 0) throw TrellisException.badUserInput('Invalid schedule', issues);
  return version;
}

/**
 * Runs `work` (which pushes the schedule to Temporal), turning Temporal's refusal of the spec into
 * `BAD_USER_INPUT` at the field it is about: `input.timezone` when the message names the time zone, else
 * the timing field in use (`input.cron` or `input.interval`).
 *
 * @throws TrellisException `BAD_USER_INPUT` for a {@link ScheduleSpecRejectedError}; anything else `work` throws
 */
export async function reportingRejectedSpecs<T>(
  fields: Pick<ScheduleFields, 'cron'>,
  work: () => Promise<T>,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof ScheduleSpecRejectedError)) throw error;
    const path = /time ?zone/i.test(error.message) ? 'input.timezone' : fields.cron !== null ? 'input.cron' : 'input.interval';
    throw TrellisException.badUserInput('Temporal rejected the schedule', [{ path, message: error.message }]);
  }
}

/** The columns of a schedule row that {@link ScheduleFields} set, as Prisma writes them. */
export type ScheduleColumns = Omit<ScheduleFields, 'input'> & { input: PrismaJson };

/** The columns of a schedule row that {@link ScheduleFields} set. */
export function scheduleColumns(fields: ScheduleFields): ScheduleColumns {
  return {
    version: fields.version,
    cron: fields.cron,
    interval: fields.interval,
    timezone: fields.timezone,
    input: fields.input as PrismaJson,
    overlapPolicy: fields.overlapPolicy,
    catchupWindow: fields.catchupWindow,
  };
}

/** A cron expression with single spaces between its fields, so the stored text is canonical; null stays null. */
export function normalizeCron(cron: string | null | undefined): string | null {
  return cron == null ? null : cron.trim().split(/\s+/).join(' ');
}

/**
 * A trimmed note, or null when absent or blank.
 *
 * @param path the argument it came from, used as the issue path
 * @throws TrellisException `BAD_USER_INPUT` when longer than {@link MAX_NOTE_LENGTH}
 */
export function optionalNote(note: string | null | undefined, path: string): string | null {
  const text = note?.trim() || null;
  if (text !== null && text.length > MAX_NOTE_LENGTH) {
    throw TrellisException.badUserInput(`Invalid argument ${path}`, [
      { path, message: `must be at most ${MAX_NOTE_LENGTH} characters` },
    ]);
  }
  return text;
}
