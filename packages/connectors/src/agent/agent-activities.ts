/** The `agent` node's activities: `agentTurn` (one LLM call) and `invokeTool` (one HTTP tool call). */
import type { AgentTurnRequest, AgentTurnResult, InvokeToolRequest, InvokeToolResult } from '@trellis/dag-interpreter';
import { runInActivity, type ActivityRuntime } from '../run-in-activity.js';
import { runAgentTurn } from './agent-turn.js';
import { invokeHttpTool } from './invoke-tool.js';

/** The activities of {@link createAgentActivities}, as typed in `DagActivities`. Both must run inside a Temporal activity. */
export interface AgentActivities {
  /**
   * One chat call with tools ({@link runAgentTurn}), with the node's `apiKey` and `baseUrl` secrets resolved.
   * @throws ApplicationFailure `LlmProviderError` (retryable for 408, 409, 429, 5xx and connection failures;
   *   `nextRetryDelay` from the provider's retry hint), `ConfigError` (missing API key, invalid `outputSchema`:
   *   not retryable), `EgressBlocked`; details `[{ attempt, data }]`. Cancellation is rethrown as is.
   */
  agentTurn(request: AgentTurnRequest): Promise<AgentTurnResult>;
  /**
   * One HTTP tool call ({@link invokeHttpTool}), with the request's secrets resolved; invalid arguments and bad
   * request configs are `{ ok: false }`.
   * @throws ApplicationFailure like `executeNode` for the `http` connector (`HttpStatusError` retryable for 5xx
   *   and 429 only, `NetworkError`, `TimeoutError`, `InvalidJsonResponse`, `EgressBlocked`). Cancellation is rethrown as is.
   */
  invokeTool(request: InvokeToolRequest): Promise<InvokeToolResult>;
}

/** Builds the agent activities over the worker's `runtime` (outbound path, vault, per-workspace environment). */
export function createAgentActivities(runtime: ActivityRuntime): AgentActivities {
  return {
    agentTurn: (request) =>
      runInActivity(request, runtime, { type: 'agent', value: { apiKey: request.apiKey, baseUrl: request.baseUrl } }, (context, resolved) =>
        runAgentTurn({ ...request, ...(resolved as Pick<AgentTurnRequest, 'apiKey' | 'baseUrl'>) }, context),
      ),
    invokeTool: (request) =>
      runInActivity(request, runtime, { type: 'http', value: request.http }, (context, http) => invokeHttpTool({ ...request, http }, context)),
  };
}
