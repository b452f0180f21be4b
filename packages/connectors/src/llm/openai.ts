/** The OpenAI provider of the `llm` connector, through the official `openai` SDK (chat completions). */
import type OpenAI from 'openai';
import type { ConnectorContext } from '../connector.js';
import type { LlmCompletion, LlmConfig } from './config.js';
import { createOpenAiClient, mapOpenAiError } from './openai-client.js';
import { callProvider } from './provider-call.js';
import { providerConnectionError } from './provider-errors.js';

/**
 * Runs one chat completion. Reads `OPENAI_API_KEY` and optional `OPENAI_BASE_URL` (any OpenAI-compatible
 * server, ending in `/v1`) from `context.env`.
 *
 * @throws ConnectorError `ConfigError` when `OPENAI_API_KEY` is unset; `LlmProviderError` for provider failures.
 * @throws the `context.signal` abort reason when cancelled.
 */
export async function completeWithOpenAi(config: LlmConfig, context: ConnectorContext): Promise<LlmCompletion> {
  const client = createOpenAiClient(context.env, config);
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [];
  if (config.system !== undefined) messages.push({ role: 'system', content: config.system });
  messages.push({ role: 'user', content: config.prompt });

  const completion: OpenAI.Chat.ChatCompletion = await callProvider(
    context,
    `openai ${client.baseURL}`,
    () =>
      client.chat.completions.create(
      {
        model: config.model,
        messages,
        temperature: config.temperature,
        // SDK v6 marks `max_tokens` deprecated (rejected by reasoning models) in favour of this field.
        max_completion_tokens: config.maxTokens,
        response_format: config.responseFormat === 'json' ? { type: 'json_object' } : undefined,
      },
      { signal: context.signal },
    ),
    mapOpenAiError,
  );

  const choice = completion.choices[0];
  if (choice === undefined) throw providerConnectionError('openai', 'the response has no choices');
  return {
    text: choice.message.content ?? '',
    model: completion.model,
    usage: { inputTokens: completion.usage?.prompt_tokens ?? 0, outputTokens: completion.usage?.completion_tokens ?? 0 },
  };
}
