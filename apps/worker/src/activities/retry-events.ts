/**
 * `node.retrying` events: an activity attempt after the first one records that the node is being retried.
 */
import { Context } from '@temporalio/activity';
import { recordRunEvents, type PrismaClient } from '@trellis/db';

/** Bounds on the event's own transaction, so a slow database delays a retry by seconds at most (ms). */
const RETRY_EVENT_MAX_WAIT_MS = 2_000;
const RETRY_EVENT_TIMEOUT_MS = 5_000;

/**
 * Wraps an activity implementation so that an attempt > 1 (Temporal's `Context.current().info.attempt`)
 * first appends `node.retrying` with `data: { attempt }` to the request's run, through the same sequence
 * allocator as `syncRun`. Best effort: a failure to record is logged and the attempt runs anyway.
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
    const { attempt, activityType } = context.info;
    if (attempt > 1) {
      try {
        await prisma.$transaction(
          (tx) => recordRunEvents(tx, request.runId, [{ type: 'node.retrying', nodeId: request.nodeId, data: { attempt } }]),
          { maxWait: RETRY_EVENT_MAX_WAIT_MS, timeout: RETRY_EVENT_TIMEOUT_MS },
        );
      } catch (error) {
        context.log.warn('could not record node.retrying', {
          runId: request.runId,
          nodeId: request.nodeId,
          attempt,
          activityType,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return activity(request);
  };
}
