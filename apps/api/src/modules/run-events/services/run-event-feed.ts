/**
 * One `runEvents` subscription: a run's stored events after a sequence number, then its live ones.
 */
import { TERMINAL_RUN_EVENT_TYPES, type RunEventType as StoredEventType } from '@trellis/db';
import type { Logger } from 'pino';
import type { TrellisPrismaClient } from '../../../infrastructure/prisma/prisma-client.js';
import type { RunEventType } from '../dtos/run-event.type.js';
import { PushStream } from './push-stream.js';
import type { RunEventsBus } from './run-events-bus.service.js';

/** Events read per query while catching up. */
const PAGE_SIZE = 500;
/** Wait before reading again after a failed read or an unexpected gap (ms). */
const RETRY_DELAY_MS = 1_000;

/**
 * Streams the events of `runId` with `sequence > afterSequence`, in order, each once.
 *
 * No gap, no duplicate: the feed registers with the bus before its first read, and every notification
 * (or resync) only triggers a read of `sequence > lastSent` from the database; reads run one at a time.
 * Writers number a run's events under its row lock and commit in sequence order, so a read never sees a
 * later event without the earlier ones. The stream ends after `run.succeeded|failed|cancelled`.
 */
export class RunEventFeed {
  readonly stream: PushStream<RunEventType>;
  private lastSent: number;
  private reading = false;
  private readAgain = false;
  private retryTimer?: NodeJS.Timeout;
  private readonly unwatch: () => void;

  constructor(
    private readonly deps: { prisma: TrellisPrismaClient; bus: RunEventsBus; logger: Logger },
    private readonly runId: string,
    afterSequence: number,
  ) {
    this.lastSent = afterSequence;
    this.stream = new PushStream(() => this.stop());
    this.unwatch = deps.bus.watchRun(runId, {
      onNotification: (notification) => {
        if (notification.sequence > this.lastSent) this.requestRead();
      },
      onResync: () => this.requestRead(),
      onShutdown: () => this.stream.end(),
    });
    this.requestRead();
  }

  private requestRead(): void {
    if (this.stream.finished) return;
    if (this.reading) {
      this.readAgain = true;
      return;
    }
    void this.read();
  }

  private async read(): Promise<void> {
    this.reading = true;
    try {
      do {
        this.readAgain = false;
        await this.readBacklog();
      } while (this.readAgain && !this.stream.finished);
    } catch (error) {
      this.deps.logger.warn({ err: error, runId: this.runId }, 'reading run events failed; retrying');
      this.retryLater();
    } finally {
      this.reading = false;
    }
  }

  /** Sends every stored event after `lastSent`, page by page. */
  private async readBacklog(): Promise<void> {
    for (;;) {
      const rows = await this.deps.prisma.runEvent.findMany({
        where: { runId: this.runId, sequence: { gt: this.lastSent } },
        orderBy: { sequence: 'asc' },
        take: PAGE_SIZE,
        select: { runId: true, sequence: true, type: true, nodeId: true, data: true, createdAt: true },
      });
      for (const row of rows) {
        if (this.stream.finished) return;
        if (row.sequence !== this.lastSent + 1) {
          // Cannot happen with the writers' locking; never skip an event if it ever does.
          this.deps.logger.warn({ runId: this.runId, expected: this.lastSent + 1, got: row.sequence }, 'gap in run events');
          this.retryLater();
          return;
        }
        this.lastSent = row.sequence;
        this.stream.push(row);
        if (TERMINAL_RUN_EVENT_TYPES.has(row.type as StoredEventType)) {
          this.stream.end();
          return;
        }
      }
      if (rows.length < PAGE_SIZE) return;
    }
  }

  private retryLater(): void {
    if (this.retryTimer || this.stream.finished) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.requestRead();
    }, RETRY_DELAY_MS);
  }

  private stop(): void {
    this.unwatch();
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }
}
