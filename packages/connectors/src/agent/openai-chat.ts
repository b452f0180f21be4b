/** The OpenAI side of `agentTurn`: one chat completion with tools, through the official `openai` SDK. */
import type OpenAI from 'openai';
import type { AgentMessage, AgentToolCall, AgentToolDefinition } from '@trellis/dag-interpreter';
import type { ConnectorContext } from '../connector.js';
import { createOpenAiClient, mapOpenAiError } from '../llm/openai-client.js';
import { callProvider } from '../llm/provider-call.js';
import { providerConnectionError } from '../llm/provider-errors.js';
import type { ProviderTurnInput, ProviderTurnOutput } from './provider-turn.js';

type ChatMessage = OpenAI.Chat.ChatCompletionMessageParam;

/**
 * Sends the conversation to `POST {OPENAI_BASE_URL}/chat/completions` with `tools` (omitted when there are
 * none), `max_completion_tokens` and `temperature`, and `response_format: { type: 'json_object' }` when
 * `input.json`. Maps the reply: `content` (null when absent), `tool_calls` with JSON-parsed arguments (the raw
 * string when not JSON), usage from `prompt_tokens`/`completion_tokens` (0 when absent).
 *
 * @throws ConnectorError `ConfigError` when `OPENAI_API_KEY` is unset; `LlmProviderError` for provider failures
 *   (retryable for 408, 409, 429, 5xx and connection failures).
 * @throws the `context.signal` abort reason when cancelled.
 */
export async function openAiAgentTurn(input: ProviderTurnInput, context: ConnectorContext): Promise<ProviderTurnOutput> {
  const { request } = input;
  const client = createOpenAiClient(context.env, request);
  const completion: OpenAI.Chat.ChatCompletion = await callProvider(
    context,
    `openai ${client.baseURL}`,
    () =>
      client.chat.completions.create(
      {
        model: request.model,
        messages: toOpenAiMessages(input.system, request.messages),
        tools: request.tools.length > 0 ? request.tools.map(toOpenAiTool) : undefined,
        temperature: request.temperature,
        // SDK v6 marks `max_tokens` deprecated (rejected by reasoning models) in favour of this field.
        max_completion_tokens: request.maxOutputTokens,
        response_format: input.json ? { type: 'json_object' } : undefined,
      },
      { signal: context.signal },
    ),
    mapOpenAiError,
  );
  const choice = completion.choices[0];
  if (choice === undefined) throw providerConnectionError('openai', 'the response has no choices');
  const toolCalls = (choice.message.tool_calls ?? []).map(fromOpenAiToolCall);
  return {
    message: { role: 'assistant', content: choice.message.content ?? null, ...(toolCalls.length > 0 ? { toolCalls } : {}) },
    usage: { inputTokens: completion.usage?.prompt_tokens ?? 0, outputTokens: completion.usage?.completion_tokens ?? 0 },
  };
}

/** System first, then the conversation in the chat-completions format. */
export function toOpenAiMessages(system: string | undefined, messages: readonly AgentMessage[]): ChatMessage[] {
  const out: ChatMessage[] = system === undefined ? [] : [{ role: 'system', content: system }];
  for (const message of messages) {
    if (message.role === 'user') out.push({ role: 'user', content: message.content });
    else if (message.role === 'tool') out.push({ role: 'tool', tool_call_id: message.toolCallId, content: message.content });
    else if (message.toolCalls !== undefined && message.toolCalls.length > 0) {
      out.push({
        role: 'assistant',
        content: message.content,
        tool_calls: message.toolCalls.map((call) => ({
          id: call.id,
          type: 'function',
          function: { name: call.name, arguments: typeof call.arguments === 'string' ? call.arguments : JSON.stringify(call.arguments ?? {}) },
        })),
      });
    } else {
      // Without tool calls the API requires content; an empty answer is sent as empty text.
      out.push({ role: 'assistant', content: message.content ?? '' });
    }
  }
  return out;
}

function toOpenAiTool(tool: AgentToolDefinition): OpenAI.Chat.ChatCompletionFunctionTool {
  return { type: 'function', function: { name: tool.name, description: tool.description, parameters: tool.parameters } };
}

function fromOpenAiToolCall(call: OpenAI.Chat.ChatCompletionMessageToolCall): AgentToolCall {
  // Custom (free-text) tools are never declared here, but map them rather than lose the call.
  if (call.type === 'custom') return { id: call.id, name: call.custom.name, arguments: call.custom.input };
  return { id: call.id, name: call.function.name, arguments: parseArguments(call.function.arguments) };
}

/** Models sometimes send arguments that are not JSON; the raw text is kept so the tool check can say so. */
function parseArguments(text: string): unknown {
  // Some servers send "" for a call without arguments.
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}
