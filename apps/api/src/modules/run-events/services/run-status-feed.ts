/**
 * One `runUpdated` subscription: the status changes of an agent's runs, or of every run of a workspace.
 */
import type { Logger } from 'pino';
import type { Run, RunStatus, TrellisPrismaClient } from '../../../infrastructure/prisma/prisma-client.js';
import { PushStream } from './push-stream.js';
import type { RunEventsBus } from './run-events-bus.service.js';

/** Runs re-checked after a listener reconnection: the most recently updated ones. */
const RESYNC_LIMIT = 100;
/** Runs whose last emitted status a feed remembers; the oldest are forgotten beyond this. */
const REMEMBERED_RUNS = 10_000;

/** Whose runs a feed follows: one agent's, or every run of one workspace. */
export type RunStatusScope = { agentId: string } | { workspaceId: string };

/**
 * Emits a run of its scope (the row as stored) each time its status differs from the last one this
 * feed emitted for it. Notifications that carry a status change trigger a read of the run; reads run one
 * at a time in notification order, so statuses are emitted in the order they happened, though a status
 * that was replaced before it could be read is skipped (the latest is always emitted).
 */
export class RunStatusFeed {
  readonly stream: PushStream<Run>;
  private readonly lastStatus = new Map<string, RunStatus>();
  private readonly pending: string[] = [];
  private draining = false;
  private readonly since = new Date();
  private readonly unwatch: () => void;

  constructor(
    private readonly deps: { prisma: TrellisPrismaClient; bus: RunEventsBus; logger: Logger },
    private readonly scope: RunStatusScope,
  ) {
    this.stream = new PushStream(() => this.unwatch());
    const watcher = {
      onNotification: (notification: { runId: string; status?: RunStatus }) => {
        if (notification.status) this.enqueue([notification.runId]);
      },
      onResync: () => void this.resync(),
      onShutdown: () => this.stream.end(),
    };
    this.unwatch = 'agentId' in scope ? deps.bus.watchAgent(scope.agentId, watcher) : deps.bus.watchWorkspace(scope.workspaceId, watcher);
  }

  /** The scope as a Prisma condition; the workspace is compared by hand because feeds read outside a request. */
  private get where(): { agentId: string } | { workspaceId: string } {
    return 'agentId' in this.scope ? { agentId: this.scope.agentId } : { workspaceId: this.scope.workspaceId };
  }

  private inScope(run: Run): boolean {
    return 'agentId' in this.scope ? run.agentId === this.scope.agentId : run.workspaceId === this.scope.workspaceId;
  }

  private enqueue(runIds: string[]): void {
    if (this.stream.finished) return;
    this.pending.push(...runIds);
    if (!this.draining) void this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      for (let runId = this.pending.shift(); runId !== undefined && !this.stream.finished; runId = this.pending.shift()) {
        await this.check(runId);
      }
    } finally {
      this.draining = false;
    }
  }

  private async check(runId: string): Promise<void> {
    let run: Run | null;
    try {
      run = await this.deps.prisma.run.findUnique({ where: { id: runId } });
    } catch (error) {
      this.deps.logger.warn({ err: error, runId }, 'reading a run for runUpdated failed');
      return;
    }
    if (!run || !this.inScope(run) || this.lastStatus.get(runId) === run.status) return;
    // Re-inserted so the map's order is least recently changed first, which is what gets forgotten.
    this.lastStatus.delete(runId);
    this.lastStatus.set(runId, run.status);
    if (this.lastStatus.size > REMEMBERED_RUNS) this.lastStatus.delete(this.lastStatus.keys().next().value as string);
    this.stream.push(run);
  }

  /** After a reconnection, re-checks the runs updated since this feed started (newest {@link RESYNC_LIMIT}). */
  private async resync(): Promise<void> {
    try {
      const runs = await this.deps.prisma.run.findMany({
        where: { ...this.where, updatedAt: { gte: this.since } },
        orderBy: { updatedAt: 'desc' },
        take: RESYNC_LIMIT,
        select: { id: true },
      });
      this.enqueue(runs.reverse().map((run) => run.id));
    } catch (error) {
      this.deps.logger.warn({ err: error, ...this.scope }, 'resyncing runUpdated failed');
    }
  }
}
