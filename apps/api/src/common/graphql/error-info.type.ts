import { Field, Int, ObjectType } from '@nestjs/graphql';

/** Read from the JSON stored in an `error` column by {@link toErrorInfo}. */
@ObjectType('ErrorInfo', { description: 'What went wrong in a run, a node or a compensation action.' })
export class ErrorInfoType {
  @Field(() => String, { description: 'What went wrong, in words.' })
  message!: string;

  @Field(() => String, {
    nullable: true,
    description: 'A stable error type such as `HttpStatusError` or `ApprovalTimeout`; null when none was recorded.',
  })
  type?: string | null;

  @Field(() => String, {
    nullable: true,
    description: "On a run's error, the node whose failure failed the run; null otherwise.",
  })
  nodeId?: string | null;

  @Field(() => Int, { nullable: true, description: 'Activity attempts made; null when not recorded, as on run errors.' })
  attempts?: number | null;
}

/**
 * Builds an {@link ErrorInfoType} from a stored `error` JSON value (`{ message, type?, nodeId?, attempts? }`).
 * Tolerates stray shapes written by older workers: a bare string becomes the message, fields of the
 * wrong type are dropped, and `null`/absent gives `null`.
 */
export function toErrorInfo(stored: unknown): ErrorInfoType | null {
  if (stored === null || stored === undefined) return null;
  if (typeof stored !== 'object' || Array.isArray(stored)) return { message: String(stored) };
  const record = stored as Record<string, unknown>;
  return {
    message: typeof record.message === 'string' ? record.message : 'Unknown error',
    type: typeof record.type === 'string' ? record.type : null,
    nodeId: typeof record.nodeId === 'string' ? record.nodeId : null,
    attempts: Number.isInteger(record.attempts) ? (record.attempts as number) : null,
  };
}
