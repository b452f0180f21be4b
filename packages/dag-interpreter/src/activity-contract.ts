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
  /** The run's workspace, where `{{ secrets.NAME }}` references are resolved. Absent in histories recorded before it. */
  workspaceId?: string;
  nodeId: string;
  /** A connector type registered in `@trellis/connectors` (`http`, `llm`). */
  type: string;
  /** The node's config after template rendering; the connector validates it. */
  config: unknown;
  /** Set when the request is not the node's own action: its saga step, or an approval's escalation. */
  phase?: 'compensate' | 'escalate';
  /**
   * What the node's expressions see (`{ input, nodes }`), sent only to connectors that read it
   * (the `code` node hands it to the user's function).
   */
  context?: { input: unknown; nodes: Record<string, unknown> };
}

/**
 * Input of the `evaluateSet` local activity: a `set` node's config as written (templates not yet
 * rendered) and what its expressions see.
 */
export interface EvaluateSetRequest {
  /** Where the config sits in the DAG, for error paths: `nodes[2].config`. */
  path: string;
  /** The node's `config` from the DAG, `{ value }` with its `{{ … }}` templates. */
  config: Record<string, unknown>;
  context: import('./expressions/compile.js').ExpressionContext;
}

/** Result of the `evaluateSet` local activity: the node's output (its rendered `value`). */
export interface EvaluateSetResult {
  output: unknown;
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
  /** True when `retryRun` reused this node's output from the earlier run instead of executing it. */
  reused?: boolean;
  /** The outcome of the node's `compensate` action, once it ran (after the run failed). */
  compensation?: CompensationState;
  /** The run started for this node (`subflow`), so people can follow it. */
  childRunId?: string;
}

/** The outcome of one compensation (saga) action. */
export interface CompensationState {
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  attempts: number;
  output?: unknown;
  error?: ErrorInfo;
  /** ISO-8601. */
  startedAt: string;
  finishedAt?: string;
}

/** A batch of state changes the workflow asks the worker to persist. Applied in order. */
export interface RunSyncRequest {
  runId: string;
  /**
   * The run's workspace (from the workflow input): every row the sync writes must belong to it. Absent for
   * runs started before workspaces existed; their rows inherit the agent's workspace.
   */
  workspaceId?: string;
  /**
   * Sent with the first sync of a run: the worker creates the run's row if no one did
   * (runs started by Temporal itself, such as scheduled runs, have no row yet).
   */
  start?: {
    agentVersionId: string;
    input: unknown;
    /** ISO-8601. */
    startedAt: string;
    /** What started the run; default `API`. */
    trigger?: RunTrigger;
    /** The run whose `subflow` node (or agent tool) started this one. */
    parentRunId?: string;
    /** The failed run this one retries (`retryRun`). */
    retryOfRunId?: string;
    /** The schedule that started the run (trigger SCHEDULE). */
    scheduleId?: string;
    /** Temporal's workflow id, recorded when it is not the run's id (scheduled runs). */
    workflowId?: string;
  };
  /** Changed nodes: upserted by (runId, nodeId). */
  nodes: NodeState[];
  /** Approvals opened since the last sync, stored in the same transaction as the WAITING node. */
  approvals?: OpenApprovalRequest[];
  /** Escalations sent since the last sync: sets `escalatedAt` on each approval. */
  escalations?: { approvalId: string; escalatedAt: string }[];
  /** Present when the run's own status changed. */
  run?: {
    status: RunStatus;
    output?: unknown;
    error?: ErrorInfo;
    /** ISO-8601. */
    finishedAt?: string;
  };
}

/** What started a run (GraphQL `RunTrigger`). */
export type RunTrigger = 'API' | 'SCHEDULE' | 'WEBHOOK' | 'SUBFLOW' | 'RETRY';

/** A pending approval to record (idempotent by `approvalId`). A node may open several (agent tool calls). */
export interface OpenApprovalRequest {
  approvalId: string;
  runId: string;
  nodeId: string;
  message: string;
  /** Extra facts shown to the approver, such as `{ tool, arguments }` for an agent's tool call. */
  details?: unknown;
  /** Who may decide: user emails and `role:<ROLE>` entries. */
  assignees?: string[];
  /** False when whoever started the run may not decide it; absent means true. */
  allowSelfApproval?: boolean;
  /** JSON Schema of the fields the approver fills in. */
  form?: Record<string, unknown>;
  /** ISO-8601: when the escalation fires if still pending. */
  escalateAt?: string;
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
  /** The approver's form fields, already validated against the approval's `form`. */
  values?: Record<string, unknown> | null;
  /** Who decided (free-form identity), when known. */
  decidedBy?: string | null;
}

/**
 * Result of the `expireApproval` activity, which atomically moves a PENDING approval to TIMED_OUT.
 * If a person decided first, the stored decision wins and is returned instead.
 */
export type ApprovalExpiry = { status: 'TIMED_OUT'; at: string } | { status: 'DECIDED'; decision: ApprovalDecision };

/** A reference to an agent (`subflow`, `forEach` bodies, agent tools): its live version unless `version` is set. */
export interface AgentReference {
  id: string;
  version?: number;
}

/** Input of the `prepareSubflow` activity. */
export interface PrepareSubflowRequest {
  agent: AgentReference;
  /** The run starting the child: the agent is looked up in its workspace only. */
  runId: string;
  /** That run's workspace, when its workflow input carries it (else read from the run's row). */
  workspaceId?: string;
  /** The child run's input, checked against the version's `inputSchema` when `checkInput` is true. */
  input?: unknown;
  checkInput?: boolean;
  /** An extra JSON Schema the input must match (an agent tool's `parameters`). */
  argumentsSchema?: Record<string, unknown>;
}

/** Result of `prepareSubflow`: the pinned version, or the input's problems (each `{ path, message }`). */
export type PreparedSubflow =
  | { ok: true; agentId: string; agentVersionId: string; version: number; dag: import('./dag-schema.js').Dag }
  | { ok: false; message: string; issues: { path: string; message: string }[] };

/** A provider-neutral chat message of the `agent` node's conversation. */
export type AgentMessage =
  | { role: 'user'; content: string }
  | { role: 'assistant'; content: string | null; toolCalls?: AgentToolCall[] }
  | { role: 'tool'; toolCallId: string; name: string; content: string };

/** A tool call requested by the model. `id` is the provider's, or synthesized when it gives none (Gemini). */
export interface AgentToolCall {
  id: string;
  name: string;
  /** Parsed JSON arguments; a string when the model sent text that is not JSON. */
  arguments: unknown;
  /**
   * Gemini's opaque `thoughtSignature` of the call's part: Gemini 3 models reject a conversation whose
   * function calls come back without it.
   */
  thoughtSignature?: string;
}

/** A tool as the model sees it. */
export interface AgentToolDefinition {
  name: string;
  description: string;
  /** JSON Schema of the arguments (an object schema). */
  parameters: Record<string, unknown>;
}

/** Input of the `agentTurn` activity: one LLM call of an `agent` node. */
export interface AgentTurnRequest {
  runId: string;
  /** The run's workspace, where `{{ secrets.NAME }}` references are resolved. Absent in histories recorded before it. */
  workspaceId?: string;
  nodeId: string;
  provider: 'openai' | 'gemini';
  model: string;
  system?: string;
  messages: AgentMessage[];
  tools: AgentToolDefinition[];
  temperature?: number;
  /** Output tokens allowed for this one call. */
  maxOutputTokens?: number;
  /** When set and the model answers without tool calls, the answer is parsed as JSON and checked against it. */
  outputSchema?: Record<string, unknown>;
  /** The node's `apiKey`, typically still the `{{ secrets.NAME }}` reference the activity resolves. */
  apiKey?: string;
  /** The node's `baseUrl` (may hold secret references too). */
  baseUrl?: string;
}

/** Result of `agentTurn`. */
export interface AgentTurnResult {
  /** The assistant message to append to the conversation. */
  message: Extract<AgentMessage, { role: 'assistant' }>;
  usage: { inputTokens: number; outputTokens: number };
  /** Present when the request had an `outputSchema` and the answer has no tool calls. */
  outputCheck?: { ok: true; json: unknown } | { ok: false; problems: string[] };
}

/** Input of the `invokeTool` activity: an `http`-backed tool call with its request already rendered. */
export interface InvokeToolRequest {
  runId: string;
  /** The run's workspace, where `{{ secrets.NAME }}` references are resolved. Absent in histories recorded before it. */
  workspaceId?: string;
  nodeId: string;
  tool: string;
  /** The tool's JSON Schema; `arguments` are checked against it before any request is sent. */
  parameters: Record<string, unknown>;
  arguments: unknown;
  /** The `http` connector config rendered with `args`. */
  http: unknown;
}

/**
 * Result of `invokeTool`. Invalid arguments are not an activity failure: the model is told and may retry.
 * Transport and HTTP failures throw like `executeNode` (with the node's retries).
 */
export type InvokeToolResult = { ok: true; result: unknown } | { ok: false; error: string };

/** The activities the generic workflow calls. Implemented by `apps/worker`. */
export interface DagActivities {
  executeNode(request: ExecuteNodeRequest): Promise<ExecuteNodeResult>;
  evaluateSet(request: EvaluateSetRequest): Promise<EvaluateSetResult>;
  syncRun(request: RunSyncRequest): Promise<void>;
  expireApproval(request: { approvalId: string }): Promise<ApprovalExpiry>;
  prepareSubflow(request: PrepareSubflowRequest): Promise<PreparedSubflow>;
  agentTurn(request: AgentTurnRequest): Promise<AgentTurnResult>;
  invokeTool(request: InvokeToolRequest): Promise<InvokeToolResult>;
}

/** A recorded output that `retryRun` hands to the new run instead of executing the node again. */
export interface ReusedNodeOutput {
  output: unknown;
  attempts: number;
}

/** Input of the generic workflow. Pins everything a replay needs: versions are immutable. */
export interface DagWorkflowInput {
  /**
   * The run's id (a UUID), which is also the workflow id for runs the API starts. Absent for runs a
   * Temporal Schedule starts (one action serves every fire): the workflow then picks a UUID itself and
   * records its workflow id. Schedules created before this field was optional send `""`, read as absent.
   */
  runId?: string;
  /** Set on runs a schedule starts. */
  scheduleId?: string;
  /**
   * The workspace the run belongs to (its agent's). Bookkeeping writes only that workspace's rows, sub-flows
   * only find that workspace's agents, and the workflow carries it as the `TrellisWorkspace` search
   * attribute. Absent in runs started before workspaces existed.
   */
  workspaceId?: string;
  agentVersionId: string;
  dag: import('./dag-schema.js').Dag;
  input: unknown;
  /** What started the run; default `API`. */
  trigger?: RunTrigger;
  /** Set on runs started by a `subflow` node or an agent tool. */
  parentRunId?: string;
  /** Set by `retryRun`: the failed run this one retries. */
  retryOfRunId?: string;
  /** Set by `retryRun`: outputs of nodes that succeeded in the failed run, by node id. */
  reuse?: Record<string, ReusedNodeOutput>;
  /**
   * Continue as new once the history has this many events (and no node is in flight). Absent: when
   * Temporal suggests it (`continueAsNewSuggested`) or at {@link DEFAULT_HISTORY_EVENT_LIMIT}.
   */
  historyEventLimit?: number;
  /** Set only by the workflow itself when it continues as new: the state to carry on from. */
  resume?: DagResumeState;
}

/** A run's state carried across continue-as-new. */
export interface DagResumeState {
  nodes: NodeState[];
  /** Node ids in the order they succeeded (compensations run in reverse). */
  completionOrder: string[];
  /** How many times the run has continued as new. */
  generation: number;
}

/**
 * Events after which a run continues as new when Temporal has not suggested it earlier. Temporal warns at
 * 10,240 events and terminates at 51,200 (server defaults `limit.historyCount.warn/error`).
 */
export const DEFAULT_HISTORY_EVENT_LIMIT = 10_000;

/** Result of the generic workflow. */
export interface DagWorkflowResult {
  output: unknown;
}

/** Workflow type name, signal and query names, shared by the API and the worker. */
export const DAG_WORKFLOW_TYPE = 'dagWorkflow';
export const APPROVAL_DECISION_SIGNAL = 'approvalDecision';
export const RUN_STATE_QUERY = 'runState';
/** Workflow type of a `forEach` node's loop, run as a child workflow of the run. */
export const FOR_EACH_WORKFLOW_TYPE = 'forEachWorkflow';
/** Default task queue; overridable with `TEMPORAL_TASK_QUEUE`. */
export const DEFAULT_TASK_QUEUE = 'trellis';
