/**
 * The generic workflow: interprets any validated DAG.
 *
 * Pure nodes (`set`), condition and template evaluation and the run's bookkeeping of state run
 * here, deterministically; `delay` is a durable timer and `approval` waits on a signal; every
 * other node type is a connector executed by the `executeNode` activity with the node's retry
 * policy and timeout.
 */
import {
  ApplicationFailure,
  CancellationScope,
  defineQuery,
  isCancellation,
  setHandler,
  sleep,
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
import type { NodeSpec } from '../dag-schema.js';
import {
  evaluateCondition,
  evaluateExpression,
  parseDuration,
  parseNodeConfig,
  renderTemplates,
  workflowNodeConfigSchemas,
  type ExpressionContext,
} from '../workflow-safe.js';
import { nodeExecutor } from './activities.js';
import { ApprovalDesk, type ApprovalConfig } from './approvals.js';
import { describeNodeError, NodeFailedError } from './failures.js';
import { buildGraph, sinkNodes, type DagGraph, type IndexedEdge } from './graph.js';
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
  return new DagInterpreter(params).run();
}

class DagInterpreter {
  private readonly graph: DagGraph;
  private readonly states = new Map<string, NodeState>();
  private readonly context: ExpressionContext;
  private readonly recorder: RunRecorder;
  private readonly approvals: ApprovalDesk;
  private readonly edgeTaken = new Map<number, Promise<boolean>>();
  private status: RunStatus = 'RUNNING';
  private waiting = 0;
  /** Set by the first node failure or a cancellation: nodes not yet started stay PENDING. */
  private halted = false;

  constructor(private readonly params: DagWorkflowInput) {
    this.graph = buildGraph(params.dag);
    for (const node of params.dag.nodes) {
      this.states.set(node.id, { nodeId: node.id, type: node.type, status: 'PENDING', attempts: 0 });
    }
    this.context = { input: params.input, nodes: {} };
    this.recorder = new RunRecorder(params.runId, this.states);
    this.approvals = new ApprovalDesk(params.runId);
    setHandler(runStateQuery, () => ({ status: this.status, nodes: [...this.states.values()] }));
  }

  async run(): Promise<DagWorkflowResult> {
    this.recorder.start({
      agentVersionId: this.params.agentVersionId,
      input: this.params.input,
      startedAt: new Date().toISOString(),
    });
    try {
      await this.runAllNodes();
      const output = await this.runOutput();
      await this.finish({ status: 'SUCCEEDED', output });
      return { output };
    } catch (error) {
      if (isCancellation(error)) {
        await this.finish({ status: 'CANCELLED' });
        throw error;
      }
      const info = runErrorOf(error);
      await this.finish({ status: 'FAILED', error: info });
      throw ApplicationFailure.create({
        message: info.nodeId ? `node "${info.nodeId}" failed: ${info.message}` : info.message,
        type: info.type ?? 'RunFailed',
        nonRetryable: true,
        details: [info],
      });
    }
  }

  /**
   * Starts every node as soon as all of its incoming edges are resolved, so independent branches
   * run in parallel. The first node failure cancels the nodes still in flight.
   */
  private async runAllNodes(): Promise<void> {
    const scope = new CancellationScope();
    let firstFailure: unknown;
    await scope.run(async () => {
      const done = new Map<string, Promise<void>>();
      for (const id of this.graph.order) {
        const predecessors = (this.graph.incoming.get(id) ?? []).map((edge) => done.get(edge.from));
        const settled = Promise.all(predecessors).then(() => this.visit(id));
        done.set(
          id,
          settled.catch((error: unknown) => {
            if (firstFailure === undefined) {
              firstFailure = error;
              this.halted = true;
              scope.cancel();
            }
          }),
        );
      }
      await Promise.all(done.values());
    });
    if (firstFailure !== undefined) throw firstFailure;
  }

  /** Runs or skips a node whose incoming edges are all resolved. */
  private async visit(id: string): Promise<void> {
    if (this.halted) return;
    const incoming = this.graph.incoming.get(id) ?? [];
    if (incoming.length > 0) {
      const taken = await Promise.all(incoming.map((edge) => this.isTaken(edge)));
      if (this.halted) return;
      if (!taken.some(Boolean)) {
        this.update(id, { status: 'SKIPPED', finishedAt: new Date().toISOString() });
        this.context.nodes[id] = { output: null, status: 'SKIPPED' };
        return;
      }
    }
    await this.execute(this.graph.nodes.get(id) as NodeSpec);
  }

  /** An edge is taken when its source succeeded and its condition (if any) is true. Evaluated once. */
  private isTaken(edge: IndexedEdge): Promise<boolean> {
    let taken = this.edgeTaken.get(edge.index);
    if (!taken) {
      taken = (async () => {
        if (this.states.get(edge.from)?.status !== 'SUCCEEDED') return false;
        if (edge.condition === undefined) return true;
        try {
          return await evaluateCondition(edge.condition, this.context);
        } catch (error) {
          throw new NodeFailedError(edge.to, {
            message: `edges[${edge.index}].condition: ${(error as Error).message}`,
            type: 'ExpressionError',
          });
        }
      })();
      this.edgeTaken.set(edge.index, taken);
    }
    return taken;
  }

  private async execute(node: NodeSpec): Promise<void> {
    this.update(node.id, { status: 'RUNNING', startedAt: new Date().toISOString() });
    try {
      const { output, attempts } = await this.perform(node);
      this.update(node.id, { status: 'SUCCEEDED', attempts, output, finishedAt: new Date().toISOString() });
      this.context.nodes[node.id] = { output, status: 'SUCCEEDED' };
    } catch (error) {
      const info = describeNodeError(error);
      if (isCancellation(error)) {
        this.update(node.id, {
          status: 'FAILED',
          error: { message: 'cancelled before it finished', type: 'Cancelled' },
          finishedAt: new Date().toISOString(),
        });
        throw error;
      }
      const attempts = info.attempts ?? Math.max(1, this.states.get(node.id)?.attempts ?? 0);
      this.update(node.id, { status: 'FAILED', attempts, error: { ...info, attempts }, finishedAt: new Date().toISOString() });
      this.context.nodes[node.id] = { output: null, status: 'FAILED', error: info };
      throw new NodeFailedError(node.id, { ...info, attempts });
    }
  }

  /** Executes one node; returns its output and the attempts it took. */
  private async perform(node: NodeSpec): Promise<{ output: unknown; attempts: number }> {
    const path = `nodes[${this.graph.position.get(node.id)}].config`;
    const rendered = await renderTemplates(node.config, this.context);
    switch (node.type) {
      case 'set': {
        const config = parseNodeConfig(workflowNodeConfigSchemas.set, rendered, path) as { value: unknown };
        return { output: config.value ?? null, attempts: 1 };
      }
      case 'delay': {
        const config = parseNodeConfig(workflowNodeConfigSchemas.delay, rendered, path) as { duration: string };
        await sleep(parseDuration(config.duration));
        return { output: { waitedMs: parseDuration(config.duration) }, attempts: 1 };
      }
      case 'approval': {
        const config = parseNodeConfig(workflowNodeConfigSchemas.approval, rendered, path) as ApprovalConfig;
        const output = await this.approvals.await(node.id, config, (approval) => this.enterWaiting(approval));
        this.leaveWaiting();
        return { output, attempts: 1 };
      }
      default: {
        const result = await nodeExecutor(node).executeNode({
          runId: this.params.runId,
          nodeId: node.id,
          type: node.type,
          config: rendered,
        });
        return { output: result.output, attempts: result.attempt };
      }
    }
  }

  /** Stores the approval, the WAITING node and the WAITING run in one sync, so they never disagree. */
  private async enterWaiting(approval: OpenApprovalRequest): Promise<void> {
    this.recorder.openApproval(approval);
    this.update(approval.nodeId, { status: 'WAITING' });
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

  private async runOutput(): Promise<unknown> {
    const expression = this.params.dag.output;
    if (expression !== undefined) {
      try {
        return (await evaluateExpression(expression, this.context)) ?? null;
      } catch (error) {
        throw ApplicationFailure.create({ message: `output: ${(error as Error).message}`, type: 'ExpressionError' });
      }
    }
    const output: Record<string, unknown> = {};
    for (const id of sinkNodes(this.graph)) {
      if (this.states.get(id)?.status === 'SUCCEEDED') output[id] = this.context.nodes[id]?.output ?? null;
    }
    return output;
  }

  private async finish(patch: { status: RunStatus; output?: unknown; error?: ErrorInfo }): Promise<void> {
    this.status = patch.status;
    this.recorder.setRun({ ...patch, finishedAt: new Date().toISOString() });
    await CancellationScope.nonCancellable(() => this.recorder.flush());
  }

  private update(nodeId: string, patch: Partial<NodeState>): void {
    const state = this.states.get(nodeId) as NodeState;
    Object.assign(state, patch);
    this.recorder.touch(nodeId);
  }
}

function runErrorOf(error: unknown): ErrorInfo {
  if (error instanceof NodeFailedError) return { ...error.info, nodeId: error.nodeId };
  return describeNodeError(error);
}
