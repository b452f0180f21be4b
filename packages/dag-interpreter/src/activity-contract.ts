/**
 * The contract between the generic workflow and the worker's activities.
 * Types only: the workflow bundle imports nothing from the activity side.
 */

/** A node's status as seen by users (GraphQL `NodeStatus`). */
export type NodeStatus = 'PENDING' | 'RUNNING' | 'WAITING' | 'SUCCEEDED' | 'FAILED' | 'SKIPPED';
/** A run's status as seen by users (GraphQL `RunStatus`). */
export type RunStatus = 'RUNNING' | 'WAITING' | 'SUCCEEDED' | 'FAILED' | 'CANCELLED';

/** What went wrong in a node or a run. */
export interface ErrorInfo {
  message: string;
  /** A stable error type, such as `HttpStatusError`, `NetworkError`, `ConfigError`, `ApprovalTimeout`. */
  type?: string;
  /** The node that failed the run, on run errors. */
  nodeId?: string;
  /** Attempts made, on node errors. */
  attempts?: number;
}

/** Input of the `executeNode` activity: one side-effecting node with its templates already rendered. */
export interface ExecuteNodeRequest {
  runId: string;
  nodeId: string;
  /** A connector type registered in `@trellis/connectors` (`http`, `llm`). */
  type: string;
  /** The node's config after template rendering; the connector validates it. */
  config: unknown;
}

/** Result of the `executeNode` activity. */
export interface ExecuteNodeResult {
  output: unknown;
  /** The attempt that succeeded, starting at 1. */
  attempt: number;
}

/**
 * Details attached to every ApplicationFailure thrown by `executeNode`
 * (first element of `ApplicationFailure.details`), so the workflow learns the attempt count.
 */
export interface NodeFailureDetails {
  attempt: number;
  /** Extra data from the connector, such as `{ status: 404 }` for HTTP. */
  data?: unknown;
}

/** A node's observable state, sent to Postgres and returned by the workflow's query. */
export interface NodeState {
  nodeId: string;
  type: string;
  status: NodeStatus;
  attempts: number;
  output?: unknown;
  error?: ErrorInfo;
  /** ISO-8601 timestamps. */
  startedAt?: string;
  finishedAt?: string;
}

/** A batch of state changes the workflow asks the worker to persist. Applied in order. */
export interface RunSyncRequest {
  runId: string;
  /**
   * Sent with the first sync of a run: the worker creates the run's row if no one did
   * (runs started by Temporal itself, such as scheduled runs, have no row yet).
   */
  start?: {
    agentVersionId: string;
    input: unknown;
    /** ISO-8601. */
    startedAt: string;
  };
  /** Changed nodes: upserted by (runId, nodeId). */
  nodes: NodeState[];
  /** Approvals opened since the last sync, stored in the same transaction as the WAITING node. */
  approvals?: OpenApprovalRequest[];
  /** Present when the run's own status changed. */
  run?: {
    status: RunStatus;
    output?: unknown;
    error?: ErrorInfo;
    /** ISO-8601. */
    finishedAt?: string;
  };
}

/** A pending approval to record (idempotent by `approvalId`). */
export interface OpenApprovalRequest {
  approvalId: string;
  runId: string;
  nodeId: string;
  message: string;
  /** ISO-8601, absent when the approval never times out. */
  dueAt?: string;
}

/** A decision as stored in Postgres and delivered to the workflow by the `approvalDecision` signal. */
export interface ApprovalDecision {
  approvalId: string;
  nodeId: string;
  approved: boolean;
  comment?: string | null;
  /** ISO-8601. */
  decidedAt: string;
}

/**
 * Result of the `expireApproval` activity, which atomically moves a PENDING approval to TIMED_OUT.
 * If a person decided first, the stored decision wins and is returned instead.
 */
export type ApprovalExpiry = { status: 'TIMED_OUT'; at: string } | { status: 'DECIDED'; decision: ApprovalDecision };

/** The activities the generic workflow calls. Implemented by `apps/worker`. */
export interface DagActivities {
  executeNode(request: ExecuteNodeRequest): Promise<ExecuteNodeResult>;
  syncRun(request: RunSyncRequest): Promise<void>;
  expireApproval(request: { approvalId: string }): Promise<ApprovalExpiry>;
}

/** Input of the generic workflow. Pins everything a replay needs: versions are immutable. */
export interface DagWorkflowInput {
  runId: string;
  agentVersionId: string;
  dag: import('./dag-schema.js').Dag;
  input: unknown;
}

/** Result of the generic workflow. */
export interface DagWorkflowResult {
  output: unknown;
}

/** Workflow type name, signal and query names, shared by the API and the worker. */
export const DAG_WORKFLOW_TYPE = 'dagWorkflow';
export const APPROVAL_DECISION_SIGNAL = 'approvalDecision';
export const RUN_STATE_QUERY = 'runState';
/** Default task queue; overridable with `TEMPORAL_TASK_QUEUE`. */
export const DEFAULT_TASK_QUEUE = 'trellis';
