/** The Gemini side of `agentTurn`: one `generateContent` call with function declarations, through `@google/generative-ai`. */
import type { Content, EnhancedGenerateContentResponse, FunctionDeclaration, FunctionDeclarationSchema, Part, Tool } from '@google/generative-ai';
import type { AgentMessage, AgentToolCall, AgentToolDefinition, AgentTurnRequest } from '@trellis/dag-interpreter';
import type { ConnectorContext } from '../connector.js';
import { createGeminiClient, geminiOrigin, mapGeminiError } from '../llm/gemini-client.js';
import { callProvider } from '../llm/provider-call.js';
import { toGeminiParameters } from './gemini-schema.js';
import type { ProviderTurnInput, ProviderTurnOutput } from './provider-turn.js';

/**
 * The role of `functionResponse` contents. The SDK's own chat history check (`VALID_PARTS_PER_ROLE` in
 * `@google/generative-ai` 0.24) allows `functionResponse` parts only under `function`, as the v1beta REST
 * examples did; the API also accepts them under `user`.
 */
const FUNCTION_RESPONSE_ROLE = 'function';

/**
 * Sends the conversation to `POST {GEMINI_BASE_URL}/v1beta/models/{model}:generateContent` with
 * `systemInstruction`, `tools: [{ functionDeclarations }]` (omitted when there are none; parameters converted
 * by {@link toGeminiParameters}), `temperature`, `maxOutputTokens`, and `responseMimeType: 'application/json'`
 * when `input.json`. Gemini gives calls no ids, so they get `${nodeId}-t${turnIndex}-${i}`, turnIndex being the
 * number of assistant messages already in the conversation (stable across retries of the same turn).
 * Usage: `promptTokenCount` in, `candidatesTokenCount + thoughtsTokenCount` out (thinking is billed as output).
 *
 * @throws ConnectorError `ConfigError` when `GEMINI_API_KEY` is unset; `LlmProviderError` for provider failures
 *   (not retryable when the answer was blocked).
 * @throws the `context.signal` abort reason when cancelled.
 */
export async function geminiAgentTurn(input: ProviderTurnInput, context: ConnectorContext): Promise<ProviderTurnOutput> {
  const { request } = input;
  const { client, requestOptions } = createGeminiClient(context.env, request);
  const model = client.getGenerativeModel(
    {
      model: request.model,
      systemInstruction: input.system,
      tools: request.tools.length > 0 ? [toGeminiTools(request.tools)] : undefined,
      generationConfig: {
        temperature: request.temperature,
        maxOutputTokens: request.maxOutputTokens,
        responseMimeType: input.json ? 'application/json' : undefined,
      },
    },
    requestOptions,
  );

  const { response, text, calls } = await callProvider(
    context,
    `gemini ${geminiOrigin(requestOptions)}`,
    async () => {
      const { response } = await model.generateContent({ contents: toGeminiContents(request.messages) }, { signal: context.signal });
      // Both throw GoogleGenerativeAIResponseError when the prompt or the answer was blocked.
      return { response, text: response.text(), calls: toolCallsOf(response, request) };
    },
    mapGeminiError,
  );
  const usage = response.usageMetadata as { promptTokenCount?: number; candidatesTokenCount?: number; thoughtsTokenCount?: number } | undefined;
  return {
    message: { role: 'assistant', content: text === '' ? null : text, ...(calls.length > 0 ? { toolCalls: calls } : {}) },
    usage: {
      inputTokens: usage?.promptTokenCount ?? 0,
      outputTokens: (usage?.candidatesTokenCount ?? 0) + (usage?.thoughtsTokenCount ?? 0),
    },
  };
}

/**
 * The conversation as Gemini `contents`: user text under `user`; assistant text and `functionCall` parts
 * under `model`; tool results as `functionResponse` parts `{ name, response: { result } }` (the result parsed
 * from JSON when it is JSON, else the text) under `function`. Consecutive messages of the same role share one
 * content, so the results of parallel calls answer their call turn together, as Gemini requires. An assistant
 * message with neither text nor calls is left out (Gemini rejects empty parts).
 */
export function toGeminiContents(messages: readonly AgentMessage[]): Content[] {
  const contents: Content[] = [];
  const append = (role: string, parts: Part[]) => {
    if (parts.length === 0) return;
    const last = contents.at(-1);
    if (last?.role === role) last.parts.push(...parts);
    else contents.push({ role, parts });
  };
  for (const message of messages) {
    if (message.role === 'user') append('user', [{ text: message.content }]);
    else if (message.role === 'tool') {
      append(FUNCTION_RESPONSE_ROLE, [{ functionResponse: { name: message.name, response: { result: parseResult(message.content) } } }]);
    } else {
      const parts: Part[] = message.content ? [{ text: message.content }] : [];
      for (const call of message.toolCalls ?? []) {
        // The SDK's Part type predates thought signatures; the API reads the field from the JSON.
        const signature = call.thoughtSignature === undefined ? {} : { thoughtSignature: call.thoughtSignature };
        parts.push({ functionCall: { name: call.name, args: asArgs(call.arguments) }, ...signature } as Part);
      }
      append('model', parts);
    }
  }
  return contents;
}

function toGeminiTools(tools: readonly AgentToolDefinition[]): Tool {
  const functionDeclarations = tools.map((tool): FunctionDeclaration => {
    const parameters = toGeminiParameters(tool.parameters);
    return {
      name: tool.name,
      description: tool.description,
      // The SDK's schema type is narrower than what the API accepts (no anyOf, title...); the JSON is what counts.
      ...(parameters === undefined ? {} : { parameters: parameters as unknown as FunctionDeclarationSchema }),
    };
  });
  return { functionDeclarations };
}

function toolCallsOf(response: EnhancedGenerateContentResponse, request: AgentTurnRequest): AgentToolCall[] {
  const turnIndex = request.messages.filter((message) => message.role === 'assistant').length;
  const parts = (response.candidates?.[0]?.content?.parts ?? []) as (Part & { thoughtSignature?: unknown })[];
  return parts
    .filter((part) => part.functionCall !== undefined)
    .map((part, index) => ({
      id: `${request.nodeId}-t${turnIndex}-${index}`,
      name: part.functionCall!.name,
      arguments: part.functionCall!.args ?? {},
      ...(typeof part.thoughtSignature === 'string' ? { thoughtSignature: part.thoughtSignature } : {}),
    }));
}

/** Tool contents are the JSON the workflow wrote; anything else is passed on as text. */
function parseResult(content: string): unknown {
  try {
    return JSON.parse(content) as unknown;
  } catch {
    return content;
  }
}

/** `functionCall.args` must be an object (a protobuf Struct); other values are wrapped. */
function asArgs(value: unknown): object {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : { value };
}
