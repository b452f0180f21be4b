/**
 * The scheduler at the heart of every run: walks a DAG, starts each node as soon as its incoming
 * edges are resolved, applies `onError`, reuses outputs handed over by `retryRun`, and can pause
 * between nodes so the run continues as new. What a node *does* is the performer's job.
 *
 * Used for whole runs (`dagWorkflow`) and for each item of a `forEach` body.
 */
import { ApplicationFailure, CancellationScope, isCancellation } from '@temporalio/workflow';
import type { NodeState, ReusedNodeOutput } from '../activity-contract.js';
import type { Dag, NodeSpec } from '../dag-schema.js';
import { evaluateCondition, evaluateExpression, type ExpressionContext } from '../workflow-safe.js';
import { describeNodeError, NodeFailedError } from './failures.js';
import { buildGraph, sinkNodes, type DagGraph, type IndexedEdge } from './graph.js';

/** What a node's execution produced. */
export interface NodeOutcome {
  output: unknown;
  /** Attempts it took (activity attempts, or 1). */
  attempts: number;
}

/** Executes one node whose predecessors are done. Throws to fail the node. */
export type NodePerformer = (node: NodeSpec, scope: NodeScope) => Promise<NodeOutcome>;

/** What a performer may see and change of the node it performs. */
export interface NodeScope {
  /** The expression context: `input` and `nodes.<id>` of the nodes reached so far. */
  context: ExpressionContext;
  /** Where the node sits, for error paths: `nodes[2]`. */
  path: string;
  /** Changes the node's observable state (status WAITING, `childRunId`…). */
  update(patch: Partial<NodeState>): void;
}

/** Options of {@link DagInterpreter}. */
export interface InterpreterOptions {
  dag: Dag;
  input: unknown;
  performer: NodePerformer;
  /** Node states to continue from (after continue-as-new): settled nodes are not run again. */
  resume?: readonly NodeState[];
  /** Completion order carried across continue-as-new. */
  completionOrder?: readonly string[];
  /** `retryRun`'s recorded outputs: these nodes succeed at once with `reused: true`. */
  reuse?: Readonly<Record<string, ReusedNodeOutput>>;
  /** Called after every change of a node's state (the run recorder). */
  onChange?(nodeId: string): void;
  /** Asked before each node starts; when true the node is left PENDING and the walk drains. */
  shouldPause?(): boolean;
}

/** How a walk ended without an unhandled failure. */
export type WalkResult = 'completed' | 'paused';

const SETTLED: ReadonlySet<NodeState['status']> = new Set(['SUCCEEDED', 'FAILED', 'SKIPPED']);

export class DagInterpreter {
  readonly graph: DagGraph;
  readonly states = new Map<string, NodeState>();
  readonly context: ExpressionContext;
  /** Ids of succeeded nodes in the order they succeeded (compensations run in reverse). */
  readonly completionOrder: string[];
  private readonly edgeTaken = new Map<number, Promise<boolean>>();
  /** Set by the first unhandled failure or a cancellation: nodes not yet started stay PENDING. */
  private halted = false;
  private paused = false;

  constructor(private readonly options: InterpreterOptions) {
    this.graph = buildGraph(options.dag);
    this.context = { input: options.input, nodes: {} };
    this.completionOrder = [...(options.completionOrder ?? [])];
    const resumed = new Map((options.resume ?? []).map((state) => [state.nodeId, state]));
    for (const node of options.dag.nodes) {
      const previous = resumed.get(node.id);
      const state: NodeState = previous && SETTLED.has(previous.status)
        ? { ...previous }
        : { nodeId: node.id, type: node.type, status: 'PENDING', attempts: 0 };
      this.states.set(node.id, state);
      if (SETTLED.has(state.status)) this.context.nodes[node.id] = contextEntry(state);
    }
  }

  /**
   * Starts every node as soon as all of its incoming edges are resolved, so independent branches
   * run in parallel. The first unhandled failure cancels the nodes still in flight and is rethrown.
   * @returns `'paused'` when `shouldPause` stopped the walk with nodes left to run.
   * @throws NodeFailedError for a node failure that `onError` does not handle; the cancellation on cancel.
   */
  async walk(): Promise<WalkResult> {
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
    return this.paused ? 'paused' : 'completed';
  }

  /**
   * The DAG's output: its `output` expression, else the succeeded sink nodes' outputs keyed by id.
   * @throws ApplicationFailure `ExpressionError` when the `output` expression fails.
   */
  async output(): Promise<unknown> {
    const expression = this.options.dag.output;
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

  /** Changes a node's state and tells the recorder. */
  update(nodeId: string, patch: Partial<NodeState>): void {
    const state = this.states.get(nodeId) as NodeState;
    Object.assign(state, patch);
    this.options.onChange?.(nodeId);
  }

  /** Runs or skips a node whose incoming edges are all resolved. */
  private async visit(id: string): Promise<void> {
    if (this.halted || SETTLED.has(this.states.get(id)!.status)) return;
    if (this.paused || this.options.shouldPause?.()) {
      this.paused = true;
      return;
    }
    const incoming = this.graph.incoming.get(id) ?? [];
    if (incoming.length > 0) {
      const taken = await Promise.all(incoming.map((edge) => this.isTaken(edge)));
      if (this.halted || this.paused) return;
      if (!taken.some(Boolean)) {
        this.update(id, { status: 'SKIPPED', finishedAt: new Date().toISOString() });
        this.context.nodes[id] = { output: null, status: 'SKIPPED' };
        return;
      }
    }
    await this.execute(this.graph.nodes.get(id) as NodeSpec);
  }

  /**
   * A success edge is taken when its source succeeded (or failed with `onError: "continue"`), an error
   * edge when its source failed with `onError: "route"`; then its condition, if any, must hold.
   * Evaluated once per edge.
   */
  private isTaken(edge: IndexedEdge): Promise<boolean> {
    let taken = this.edgeTaken.get(edge.index);
    if (!taken) {
      taken = (async () => {
        if (!this.sourceAllows(edge)) return false;
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

  private sourceAllows(edge: IndexedEdge): boolean {
    const status = this.states.get(edge.from)?.status;
    const onError = this.graph.nodes.get(edge.from)?.onError ?? 'fail';
    if (edge.on === 'error') return status === 'FAILED' && onError === 'route';
    return status === 'SUCCEEDED' || (status === 'FAILED' && onError === 'continue');
  }

  private async execute(node: NodeSpec): Promise<void> {
    const reused = this.options.reuse?.[node.id];
    if (reused !== undefined) {
      const now = new Date().toISOString();
      this.succeed(node.id, { status: 'SUCCEEDED', reused: true, attempts: reused.attempts, output: reused.output, startedAt: now, finishedAt: now });
      return;
    }
    this.update(node.id, { status: 'RUNNING', startedAt: new Date().toISOString() });
    try {
      const scope: NodeScope = {
        context: this.context,
        path: `nodes[${this.graph.position.get(node.id)}]`,
        update: (patch) => this.update(node.id, patch),
      };
      const { output, attempts } = await this.options.performer(node, scope);
      this.succeed(node.id, { status: 'SUCCEEDED', attempts, output, finishedAt: new Date().toISOString() });
    } catch (error) {
      if (isCancellation(error)) {
        this.update(node.id, {
          status: 'FAILED',
          error: { message: 'cancelled before it finished', type: 'Cancelled' },
          finishedAt: new Date().toISOString(),
        });
        throw error;
      }
      const info = describeNodeError(error);
      const attempts = info.attempts ?? Math.max(1, this.states.get(node.id)?.attempts ?? 0);
      const nodeError = { ...info, attempts };
      this.update(node.id, { status: 'FAILED', attempts, error: nodeError, finishedAt: new Date().toISOString() });
      this.context.nodes[node.id] = { output: null, status: 'FAILED', error: nodeError };
      // `continue` and `route` handle the failure: the run goes on along the edges they allow.
      if ((node.onError ?? 'fail') !== 'fail' && !this.halted) return;
      throw new NodeFailedError(node.id, nodeError);
    }
  }

  private succeed(nodeId: string, patch: Partial<NodeState>): void {
    this.update(nodeId, patch);
    this.context.nodes[nodeId] = { output: patch.output, status: 'SUCCEEDED' };
    this.completionOrder.push(nodeId);
  }
}

/** What expressions see of a settled node. */
function contextEntry(state: NodeState): ExpressionContext['nodes'][string] {
  if (state.status === 'SUCCEEDED') return { output: state.output ?? null, status: state.status };
  if (state.status === 'FAILED') return { output: null, status: state.status, error: state.error };
  return { output: null, status: state.status };
}
