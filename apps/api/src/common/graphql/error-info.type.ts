import { Field, Int, ObjectType } from '@nestjs/graphql';

/** What went wrong in a run or a node, read from the JSON stored in an `error` column. */
@ObjectType('ErrorInfo')
export class ErrorInfoType {
  @Field(() => String)
  message!: string;

  /** A stable error type such as `HttpStatusError` or `ApprovalTimeout`. */
  @Field(() => String, { nullable: true })
  type?: string | null;

  /** The node that failed the run (run errors only). */
  @Field(() => String, { nullable: true })
  nodeId?: string | null;

  /** Attempts made (node errors only). */
  @Field(() => Int, { nullable: true })
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
