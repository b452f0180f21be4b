/** `agentTurn`'s work: one LLM call of an `agent` node, provider-neutral in and out. */
import type { AgentTurnRequest, AgentTurnResult } from '@trellis/dag-interpreter';
import type { ConnectorContext } from '../connector.js';
import { geminiAgentTurn } from './gemini-chat.js';
import { openAiAgentTurn } from './openai-chat.js';
import { checkAgentOutput } from './output-check.js';
import type { ProviderTurn } from './provider-turn.js';
import { compileSchema } from './schema-problems.js';

const providers: Record<AgentTurnRequest['provider'], ProviderTurn> = {
  openai: openAiAgentTurn,
  gemini: geminiAgentTurn,
};

/**
 * Makes one chat call with the request's tools and returns the assistant message, the usage and, when
 * `outputSchema` is set and the model called no tool, the `outputCheck` of its answer.
 *
 * With an `outputSchema`:
 * - the schema is appended to the system instruction (see {@link outputInstruction}), so the model knows what
 *   to produce (and OpenAI's JSON mode, which requires the word "JSON" in the messages, is accepted);
 * - the provider's JSON mode is asked for only when the turn offers no tools: Gemini refuses
 *   `responseMimeType: 'application/json'` together with function calling on some models, and
 *   OpenAI-compatible servers that enforce JSON mode with a grammar (vLLM, Ollama) would garble tool calls.
 *   With tools, the instruction, fenced-JSON tolerance and the workflow's repair turn cover it.
 *
 * @throws ConnectorError `ConfigError` (missing API key, invalid `outputSchema`), `LlmProviderError`.
 * @throws the `context.signal` abort reason when cancelled.
 */
export async function runAgentTurn(request: AgentTurnRequest, context: ConnectorContext): Promise<AgentTurnResult> {
  const schema = request.outputSchema;
  // An invalid schema fails before anything is paid for.
  if (schema !== undefined) compileSchema(schema, 'outputSchema');
  const system = schema === undefined ? request.system : joinSystem(request.system, outputInstruction(schema));
  const { message, usage } = await providers[request.provider](
    { request, system, json: schema !== undefined && request.tools.length === 0 },
    context,
  );
  const result: AgentTurnResult = { message, usage };
  if (schema !== undefined && (message.toolCalls ?? []).length === 0) result.outputCheck = checkAgentOutput(message.content, schema);
  return result;
}

/** The instruction added to the system prompt when the answer must match `schema`. */
export function outputInstruction(schema: Record<string, unknown>): string {
  return `When you give your final answer (instead of calling a tool), reply with only a JSON value, without prose or code fences, that matches this JSON Schema:\n${JSON.stringify(schema)}`;
}

function joinSystem(system: string | undefined, instruction: string): string {
  return system === undefined || system === '' ? instruction : `${system}\n\n${instruction}`;
}
