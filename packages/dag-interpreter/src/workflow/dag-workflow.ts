/**
 * The generic workflow: interprets any validated DAG as one run.
 *
 * Scheduling lives in `DagInterpreter`, what each node type does in `node-performers`. This file owns
 * the run as a whole: its record in Postgres (batched through `syncRun`), approvals, the `runState`
 * query, compensation when it fails, and continue-as-new when its history is spent.
 */
import {
  ApplicationFailure,
  CancellationScope,
  continueAsNew,
  defineQuery,
  isCancellation,
  patched,
  setHandler,
  uuid4,
  workflowInfo,
} from '@temporalio/workflow';
import {
  RUN_STATE_QUERY,
  type DagWorkflowInput,
  type DagWorkflowResult,
  type ErrorInfo,
  type NodeState,
  type OpenApprovalRequest,
  type RunStatus,
} from '../activity-contract.js';
import { renderTemplates, WORKFLOW_PATCHES, type ExpressionContext } from '../workflow-safe.js';
import { nodeExecutor } from './activities.js';
import type { ApprovalConfig } from '../node-types/approval/index.js';
import { ApprovalDesk, type Escalator } from './approvals.js';
import { compensate } from './compensation.js';
import { describeWalkError } from './failures.js';
import { historyBudgetSpent } from './history-budget.js';
import { DagInterpreter, type NodeScope } from './interpreter.js';
import { createPerformer } from './node-performers.js';
import { runIdentity, type ApprovalGate } from './run-environment.js';
import { RunRecorder } from './run-recorder.js';

/** Answer of the `runState` query. */
export interface RunStateView {
  status: RunStatus;
  nodes: NodeState[];
}

export const runStateQuery = defineQuery<RunStateView>(RUN_STATE_QUERY);

/**
 * Runs a DAG to completion.
 * @returns `{ output }`: the `output` expression's value, else the succeeded sink nodes' outputs keyed by id.
 * @throws ApplicationFailure (non-retryable) naming the failed node and its error; the run is FAILED.
 */
export async function dagWorkflow(params: DagWorkflowInput): Promise<DagWorkflowResult> {
  return new RunSession(params).run();
}

class RunSession {
  /** The run's id: the input's, or for a scheduled run one picked here (replay-safe) on its first execution. */
  private readonly runId: string;
  private readonly interpreter: DagInterpreter;
  private readonly recorder: RunRecorder;
  private readonly approvals: ApprovalDesk;
  private status: RunStatus = 'RUNNING';
  private waiting = 0;

  constructor(private readonly params: DagWorkflowInput) {
    this.runId = params.runId || uuid4();
    const gate: ApprovalGate = {
      await: async (nodeId, config, scope, details) => {
        const escalate = (approval: Parameters<Escalator>[0]) => this.escalate(config, approval, scope);
        const output = await this.approvals.await(nodeId, config, (approval) => this.enterWaiting(approval), details, escalate);
        this.leaveWaiting();
        return output;
      },
    };
    this.interpreter = new DagInterpreter({
      dag: params.dag,
      input: params.input,
      resume: params.resume?.nodes,
      completionOrder: params.resume?.completionOrder,
      reuse: params.reuse,
      performer: createPerformer({
        runId: this.runId,
        workspaceId: params.workspaceId,
        childWorkflowPrefix: params.runId || workflowInfo().workflowId,
        approvals: gate,
        historyEventLimit: params.historyEventLimit,
      }),
      onChange: (nodeId) => this.recorder.touch(nodeId),
      shouldPause: () => patched(WORKFLOW_PATCHES.continueAsNew) && historyBudgetSpent(params.historyEventLimit),
    });
    this.recorder = new RunRecorder(this.runId, params.workspaceId, this.interpreter.states);
    this.approvals = new ApprovalDesk(this.runId);
    setHandler(runStateQuery, () => ({ status: this.status, nodes: [...this.interpreter.states.values()] }));
  }

  async run(): Promise<DagWorkflowResult> {
    if (!this.params.resume) {
      this.recorder.start({
        agentVersionId: this.params.agentVersionId,
        input: this.params.input,
        startedAt: new Date().toISOString(),
        ...(this.params.trigger ? { trigger: this.params.trigger } : {}),
        ...(this.params.parentRunId ? { parentRunId: this.params.parentRunId } : {}),
        ...(this.params.retryOfRunId ? { retryOfRunId: this.params.retryOfRunId } : {}),
        ...(this.params.scheduleId ? { scheduleId: this.params.scheduleId } : {}),
        ...(this.params.runId ? {} : { workflowId: workflowInfo().workflowId }),
      });
    }
    try {
      if ((await this.interpreter.walk()) === 'completed') {
        const output = await this.interpreter.output();
        await this.finish({ status: 'SUCCEEDED', output });
        return { output };
      }
    } catch (error) {
      if (isCancellation(error)) {
        await this.finish({ status: 'CANCELLED' });
        throw error;
      }
      const info = describeWalkError(error);
      if (this.params.dag.nodes.some((node) => node.compensate)) await compensate(this.interpreter, runIdentity({ runId: this.runId, workspaceId: this.params.workspaceId }));
      await this.finish({ status: 'FAILED', error: info });
      throw ApplicationFailure.create({
        message: info.nodeId ? `node "${info.nodeId}" failed: ${info.message}` : info.message,
        type: info.type ?? 'RunFailed',
        nonRetryable: true,
        details: [info],
      });
    }
    return this.continueAsNew();
  }

  /** Every node in flight has finished and the history is spent: carry the state into a fresh history. */
  private async continueAsNew(): Promise<never> {
    await CancellationScope.nonCancellable(() => this.recorder.flush());
    return continueAsNew<typeof dagWorkflow>({
      ...this.params,
      // A scheduled run keeps the id it picked on its first execution.
      runId: this.runId,
      resume: {
        nodes: [...this.interpreter.states.values()],
        completionOrder: this.interpreter.completionOrder,
        generation: (this.params.resume?.generation ?? 0) + 1,
      },
    });
  }

  /**
   * Sends an approval's escalation notification (an `http` request rendered with `approval` in scope)
   * and records when it went out. A notification that still fails after its retries is given up on:
   * the approval keeps waiting for a decision or its timeout.
   */
  private async escalate(config: ApprovalConfig, approval: Parameters<Escalator>[0], scope: NodeScope): Promise<void> {
    const context = {
      ...scope.context,
      approval: {
        id: approval.approvalId,
        message: approval.message,
        assignees: approval.assignees ?? [],
        requestedAt: approval.requestedAt,
        dueAt: approval.dueAt ?? null,
      },
    } as ExpressionContext;
    try {
      const request = await renderTemplates(config.escalation ?? {}, context);
      await nodeExecutor({}).executeNode({
        ...runIdentity({ runId: this.runId, workspaceId: this.params.workspaceId }),
        nodeId: approval.nodeId,
        type: 'http',
        config: request,
        phase: 'escalate',
      });
      this.recorder.escalated({ approvalId: approval.approvalId, escalatedAt: new Date().toISOString() });
    } catch (error) {
      if (isCancellation(error)) throw error;
    }
  }

  /** Stores the approval, the WAITING node and the WAITING run in one sync, so they never disagree. */
  private async enterWaiting(approval: OpenApprovalRequest): Promise<void> {
    this.recorder.openApproval(approval);
    this.interpreter.update(approval.nodeId, { status: 'WAITING' });
    this.waiting++;
    this.setStatus('WAITING');
    await CancellationScope.nonCancellable(() => this.recorder.flush());
  }

  private leaveWaiting(): void {
    this.waiting--;
    if (this.waiting === 0) this.setStatus('RUNNING');
  }

  private setStatus(status: RunStatus): void {
    if (this.status === status) return;
    this.status = status;
    this.recorder.setRun({ status });
  }

  private async finish(patch: { status: RunStatus; output?: unknown; error?: ErrorInfo }): Promise<void> {
    this.status = patch.status;
    this.recorder.setRun({ ...patch, finishedAt: new Date().toISOString() });
    await CancellationScope.nonCancellable(() => this.recorder.flush());
  }
}
