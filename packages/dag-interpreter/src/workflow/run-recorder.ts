/**
 * Sends the run's state changes to Postgres through the `syncRun` activity.
 *
 * Changes are batched: while one sync is in flight, further changes accumulate and go out
 * together in the next one, so a wide DAG costs few activities and writes stay in order.
 */
import { CancellationScope } from '@temporalio/workflow';
import type { NodeState, OpenApprovalRequest, RunSyncRequest } from '../activity-contract.js';
import { bookkeeping } from './activities.js';

type RunPatch = NonNullable<RunSyncRequest['run']>;
type StartPatch = NonNullable<RunSyncRequest['start']>;

export class RunRecorder {
  private readonly dirty = new Set<string>();
  private pendingRun?: RunPatch;
  private pendingStart?: StartPatch;
  private pendingApprovals: OpenApprovalRequest[] = [];
  private pendingEscalations: NonNullable<RunSyncRequest['escalations']> = [];
  private inFlight?: Promise<void>;

  constructor(
    private readonly runId: string,
    private readonly workspaceId: string | undefined,
    private readonly states: Map<string, NodeState>,
  ) {}

  /** Records that the run started; its first sync creates the run row if needed. */
  start(start: StartPatch): void {
    this.pendingStart = start;
    for (const id of this.states.keys()) this.dirty.add(id);
    this.kick();
  }

  /** Marks a node's state as changed. */
  touch(nodeId: string): void {
    this.dirty.add(nodeId);
    this.kick();
  }

  /** Queues a new approval; it is stored together with the node changes queued with it. */
  openApproval(approval: OpenApprovalRequest): void {
    this.pendingApprovals.push(approval);
    this.kick();
  }

  /** Queues the time an approval's escalation was sent. */
  escalated(entry: { approvalId: string; escalatedAt: string }): void {
    this.pendingEscalations.push(entry);
    this.kick();
  }

  /** Queues a change of the run's own status. */
  setRun(patch: RunPatch): void {
    this.pendingRun = patch;
    this.kick();
  }

  /** Resolves once every queued change is stored. */
  async flush(): Promise<void> {
    while (this.inFlight) await this.inFlight;
  }

  private kick(): void {
    this.inFlight ??= this.drain();
  }

  private async drain(): Promise<void> {
    try {
      while (this.dirty.size > 0 || this.pendingRun || this.pendingStart || this.pendingApprovals.length > 0 || this.pendingEscalations.length > 0) {
        const request: RunSyncRequest = {
          runId: this.runId,
          ...(this.workspaceId === undefined ? {} : { workspaceId: this.workspaceId }),
          start: this.pendingStart,
          nodes: [...this.dirty].map((id) => ({ ...(this.states.get(id) as NodeState) })),
          run: this.pendingRun,
          approvals: this.pendingApprovals.length > 0 ? this.pendingApprovals : undefined,
          escalations: this.pendingEscalations.length > 0 ? this.pendingEscalations : undefined,
        };
        this.pendingApprovals = [];
        this.pendingEscalations = [];
        this.dirty.clear();
        this.pendingRun = undefined;
        this.pendingStart = undefined;
        // Bookkeeping must complete even while the run is being cancelled.
        await CancellationScope.nonCancellable(() => bookkeeping.syncRun(request));
      }
    } finally {
      this.inFlight = undefined;
    }
  }
}
