/** The Gemini provider of the `llm` connector, through the official `@google/generative-ai` SDK. */
import type { EnhancedGenerateContentResponse } from '@google/generative-ai';
import type { ConnectorContext } from '../connector.js';
import type { LlmCompletion, LlmConfig } from './config.js';
import { createGeminiClient, geminiOrigin, mapGeminiError } from './gemini-client.js';
import { callProvider } from './provider-call.js';

/**
 * Runs one `generateContent` call. Reads `GEMINI_API_KEY` and optional `GEMINI_BASE_URL` (the origin the
 * SDK appends `/v1beta/models/{model}:generateContent` to) from `context.env`. The SDK has no retries of its own.
 *
 * @throws ConnectorError `ConfigError` when `GEMINI_API_KEY` is unset; `LlmProviderError` for provider failures
 *   (not retryable when the answer was blocked, e.g. for safety).
 * @throws the `context.signal` abort reason when cancelled.
 */
export async function completeWithGemini(config: LlmConfig, context: ConnectorContext): Promise<LlmCompletion> {
  const { client, requestOptions } = createGeminiClient(context.env, config);
  const model = client.getGenerativeModel(
    {
      model: config.model,
      systemInstruction: config.system,
      generationConfig: {
        temperature: config.temperature,
        maxOutputTokens: config.maxTokens,
        responseMimeType: config.responseFormat === 'json' ? 'application/json' : undefined,
      },
    },
    requestOptions,
  );

  const { response, text } = await callProvider(
    context,
    `gemini ${geminiOrigin(requestOptions)}`,
    async () => {
      const { response } = await model.generateContent({ contents: [{ role: 'user', parts: [{ text: config.prompt }] }] }, { signal: context.signal });
      // text() throws GoogleGenerativeAIResponseError when the prompt or the answer was blocked.
      return { response: response as EnhancedGenerateContentResponse & { modelVersion?: string }, text: response.text() };
    },
    mapGeminiError,
  );
  return {
    text,
    model: response.modelVersion ?? config.model,
    usage: {
      inputTokens: response.usageMetadata?.promptTokenCount ?? 0,
      outputTokens: response.usageMetadata?.candidatesTokenCount ?? 0,
    },
  };
}
