/** The OpenAI provider of the `llm` connector, through the official `openai` SDK (chat completions). */
import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import type { ConnectorContext } from '../connector.js';
import { parseRetryAfter } from '../retry-after.js';
import type { LlmCompletion, LlmConfig } from './config.js';
import { providerConnectionError, providerStatusError, requireApiKey } from './provider-errors.js';

/** Used when `OPENAI_BASE_URL` is unset; the SDK's own default, stated so the SDK never reads `process.env` itself. */
const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

/**
 * Runs one chat completion. Reads `OPENAI_API_KEY` and optional `OPENAI_BASE_URL` (any OpenAI-compatible
 * server, ending in `/v1`) from `context.env`.
 *
 * @throws ConnectorError `ConfigError` when `OPENAI_API_KEY` is unset; `LlmProviderError` for provider failures.
 * @throws the `context.signal` abort reason when cancelled.
 */
export async function completeWithOpenAi(config: LlmConfig, context: ConnectorContext): Promise<LlmCompletion> {
  const client = new OpenAI({
    apiKey: requireApiKey(context.env, 'OPENAI_API_KEY', 'openai'),
    baseURL: context.env.OPENAI_BASE_URL || DEFAULT_OPENAI_BASE_URL,
    organization: context.env.OPENAI_ORG_ID ?? null,
    project: context.env.OPENAI_PROJECT_ID ?? null,
    maxRetries: 0,
  });
  const messages: OpenAI.Chat.ChatCompletionMessageParam[] = [];
  if (config.system !== undefined) messages.push({ role: 'system', content: config.system });
  messages.push({ role: 'user', content: config.prompt });

  let completion: OpenAI.Chat.ChatCompletion;
  try {
    completion = await client.chat.completions.create(
      {
        model: config.model,
        messages,
        temperature: config.temperature,
        // SDK v6 marks `max_tokens` deprecated (rejected by reasoning models) in favour of this field.
        max_completion_tokens: config.maxTokens,
        response_format: config.responseFormat === 'json' ? { type: 'json_object' } : undefined,
      },
      { signal: context.signal },
    );
  } catch (error) {
    throw mapOpenAiError(error, context.signal);
  }

  const choice = completion.choices[0];
  if (choice === undefined) throw providerConnectionError('openai', 'the response has no choices');
  return {
    text: choice.message.content ?? '',
    model: completion.model,
    usage: { inputTokens: completion.usage?.prompt_tokens ?? 0, outputTokens: completion.usage?.completion_tokens ?? 0 },
  };
}

function mapOpenAiError(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return signal.reason;
  if (error instanceof APIUserAbortError) return error;
  // Includes APIConnectionTimeoutError.
  if (error instanceof APIConnectionError) return providerConnectionError('openai', error.message, error);
  if (error instanceof APIError && typeof error.status === 'number') {
    const body = error.error as { message?: unknown } | undefined;
    return providerStatusError({
      provider: 'openai',
      status: error.status,
      providerMessage: typeof body?.message === 'string' ? body.message : error.message,
      retryAfterMs: retryAfterFrom(error.headers),
      cause: error,
    });
  }
  return error;
}

/** OpenAI sends `retry-after-ms` (non-standard, ms) and/or the standard `retry-after`. */
function retryAfterFrom(headers: Headers | undefined): number | undefined {
  const ms = Number(headers?.get('retry-after-ms') ?? NaN);
  if (Number.isFinite(ms) && ms >= 0) return ms;
  return parseRetryAfter(headers?.get('retry-after'));
}
