import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLJSON } from 'graphql-scalars';
import { ErrorInfoType, toErrorInfo } from '../../../common/graphql/error-info.type.js';

/** Lifecycle of a compensation (saga) action; the values of the contract's `CompensationState.status`. */
export enum CompensationStatus {
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}

registerEnumType(CompensationStatus, {
  name: 'CompensationStatus',
  description: "Lifecycle of a node's compensation action.",
  valuesMap: {
    RUNNING: { description: 'The action is executing, possibly retrying.' },
    SUCCEEDED: { description: 'The action completed.' },
    FAILED: { description: "The action failed after its retries; the other nodes' compensations still run." },
  },
});

@ObjectType('Compensation', {
  description:
    "The outcome of a succeeded node's `compensate` action, which runs after the run failed, in reverse completion order.",
})
export class CompensationType {
  @Field(() => CompensationStatus, { description: 'How far the action got.' })
  status!: CompensationStatus;

  @Field(() => Int, { description: 'Activity attempts made by the compensation action.' })
  attempts!: number;

  @Field(() => GraphQLJSON, { nullable: true, description: "The action's output; null unless it SUCCEEDED." })
  output!: unknown;

  @Field(() => ErrorInfoType, { nullable: true, description: 'What went wrong; null unless it FAILED.' })
  error!: ErrorInfoType | null;

  @Field(() => Date, {
    nullable: true,
    description: 'When the action started; null only for records written without a valid timestamp.',
  })
  startedAt!: Date | null;

  @Field(() => Date, { nullable: true, description: 'When the action ended; null while it is RUNNING.' })
  finishedAt!: Date | null;
}

const STATUSES: ReadonlySet<string> = new Set(Object.values(CompensationStatus));

/**
 * Builds a {@link CompensationType} from a stored `node_runs.compensation` JSON value (the contract's
 * `CompensationState`: `{ status, attempts, output?, error?, startedAt, finishedAt? }`, ISO-8601 times).
 *
 * @returns null when nothing is stored, or when the value has no recognizable `status` (there is no
 *   outcome to report); otherwise stray fields are tolerated: a non-integer `attempts` reads as 0 and
 *   unparsable timestamps as null
 */
export function toCompensation(stored: unknown): CompensationType | null {
  if (typeof stored !== 'object' || stored === null || Array.isArray(stored)) return null;
  const record = stored as Record<string, unknown>;
  if (typeof record.status !== 'string' || !STATUSES.has(record.status)) return null;
  return {
    status: record.status as CompensationStatus,
    attempts: Number.isInteger(record.attempts) ? (record.attempts as number) : 0,
    output: record.output ?? null,
    error: toErrorInfo(record.error),
    startedAt: toDate(record.startedAt),
    finishedAt: toDate(record.finishedAt),
  };
}

function toDate(value: unknown): Date | null {
  if (typeof value !== 'string') return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}
