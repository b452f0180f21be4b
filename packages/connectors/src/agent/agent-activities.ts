/** The `agent` node's activities: `agentTurn` (one LLM call) and `invokeTool` (one HTTP tool call). */
import type { AgentTurnRequest, AgentTurnResult, InvokeToolRequest, InvokeToolResult } from '@trellis/dag-interpreter';
import { runAgentTurn } from './agent-turn.js';
import { invokeHttpTool } from './invoke-tool.js';
import { runInActivity } from './run-in-activity.js';

/** The activities of {@link createAgentActivities}, as typed in `DagActivities`. Both must run inside a Temporal activity. */
export interface AgentActivities {
  /**
   * One chat call with tools ({@link runAgentTurn}).
   * @throws ApplicationFailure `LlmProviderError` (retryable for 408, 409, 429, 5xx and connection failures;
   *   `nextRetryDelay` from the provider's retry hint), `ConfigError` (missing API key, invalid `outputSchema`:
   *   not retryable); details `[{ attempt, data }]`. Cancellation is rethrown as is.
   */
  agentTurn(request: AgentTurnRequest): Promise<AgentTurnResult>;
  /**
   * One HTTP tool call ({@link invokeHttpTool}); invalid arguments and bad request configs are `{ ok: false }`.
   * @throws ApplicationFailure like `executeNode` for the `http` connector (`HttpStatusError` retryable for 5xx
   *   and 429 only, `NetworkError`, `TimeoutError`, `InvalidJsonResponse`). Cancellation is rethrown as is.
   */
  invokeTool(request: InvokeToolRequest): Promise<InvokeToolResult>;
}

/** Builds the agent activities; `env` supplies the provider keys and base URLs (`OPENAI_*`, `GEMINI_*`). */
export function createAgentActivities(env: Record<string, string | undefined>): AgentActivities {
  return {
    agentTurn: (request) => runInActivity(request, env, (context) => runAgentTurn(request, context)),
    invokeTool: (request) => runInActivity(request, env, (context) => invokeHttpTool(request, context)),
  };
}
