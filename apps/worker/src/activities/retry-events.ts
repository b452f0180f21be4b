/**
 * Attempt events: an activity attempt after the first one records `node.retrying` before it starts, and an
 * attempt that throws records `node.attempt_failed` with its error, so a run's timeline shows each attempt
 * with its start, end and error, and the backoff between them.
 */
import { CancelledFailure, Context } from '@temporalio/activity';
import { type NewRunEvent, recordRunEvents, type PrismaClient } from '@trellis/db';

/** Bounds on the event's own transaction, so a slow database delays a retry by seconds at most (ms). */
const RETRY_EVENT_MAX_WAIT_MS = 2_000;
const RETRY_EVENT_TIMEOUT_MS = 5_000;

/**
 * Wraps an activity implementation so that an attempt > 1 (Temporal's `Context.current().info.attempt`)
 * first appends `node.retrying` with `data: { attempt }` to the request's run, through the same sequence
 * allocator as `syncRun`, and an attempt that throws (other than by cancellation) appends
 * `node.attempt_failed` with `data: { attempt, error, errorType? }` before the error goes back to Temporal.
 * Best effort: a failure to record is logged and the attempt runs, or fails, anyway.
 *
 * The event is committed before the attempt starts, so it precedes the node's outcome, which the workflow
 * records only after the attempt ends.
 */
export function withRetryEvents<Request extends { runId: string; nodeId: string }, Result>(
  prisma: PrismaClient,
  activity: (request: Request) => Promise<Result>,
): (request: Request) => Promise<Result> {
  return async (request) => {
    const context = Context.current();
    const { attempt } = context.info;
    if (attempt > 1) await record(prisma, context, request, { type: 'node.retrying', nodeId: request.nodeId, data: { attempt } });
    try {
      return await activity(request);
    } catch (error) {
      // A cancelled attempt did not fail: the node's own outcome (CANCELLED) says what happened.
      if (!(error instanceof CancelledFailure)) {
        const failure = error as { message?: unknown; type?: unknown; name?: unknown };
        await record(prisma, context, request, {
          type: 'node.attempt_failed',
          nodeId: request.nodeId,
          data: {
            attempt,
            error: typeof failure.message === 'string' ? failure.message : String(error),
            ...(typeof failure.type === 'string' ? { errorType: failure.type } : {}),
          },
        });
      }
      throw error;
    }
  };
}

/** Appends one attempt event in its own short transaction; best effort (a failure is logged, never thrown). */
async function record(
  prisma: PrismaClient,
  context: Context,
  request: { runId: string; nodeId: string },
  event: NewRunEvent,
): Promise<void> {
  try {
    await prisma.$transaction((tx) => recordRunEvents(tx, request.runId, [event]), {
      maxWait: RETRY_EVENT_MAX_WAIT_MS,
      timeout: RETRY_EVENT_TIMEOUT_MS,
    });
  } catch (error) {
    context.log.warn(`could not record ${event.type}`, {
      runId: request.runId,
      nodeId: request.nodeId,
      attempt: context.info.attempt,
      activityType: context.info.activityType,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}
