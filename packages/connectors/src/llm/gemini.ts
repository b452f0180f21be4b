/** The Gemini provider of the `llm` connector, through the official `@google/generative-ai` SDK. */
import {
  GoogleGenerativeAI,
  GoogleGenerativeAIError,
  GoogleGenerativeAIFetchError,
  GoogleGenerativeAIResponseError,
  type ErrorDetails,
  type EnhancedGenerateContentResponse,
} from '@google/generative-ai';
import { ConnectorError, ConnectorErrorType } from '../errors.js';
import type { ConnectorContext } from '../connector.js';
import type { LlmCompletion, LlmConfig } from './config.js';
import { providerConnectionError, providerStatusError, requireApiKey } from './provider-errors.js';

/**
 * Runs one `generateContent` call. Reads `GEMINI_API_KEY` and optional `GEMINI_BASE_URL` (the origin the
 * SDK appends `/v1beta/models/{model}:generateContent` to) from `context.env`. The SDK has no retries of its own.
 *
 * @throws ConnectorError `ConfigError` when `GEMINI_API_KEY` is unset; `LlmProviderError` for provider failures
 *   (not retryable when the answer was blocked, e.g. for safety).
 * @throws the `context.signal` abort reason when cancelled.
 */
export async function completeWithGemini(config: LlmConfig, context: ConnectorContext): Promise<LlmCompletion> {
  const client = new GoogleGenerativeAI(requireApiKey(context.env, 'GEMINI_API_KEY', 'gemini'));
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
    // The SDK appends `/v1beta/...` with its own slash.
    { baseUrl: context.env.GEMINI_BASE_URL?.replace(/\/+$/, '') || undefined },
  );

  let response: EnhancedGenerateContentResponse & { modelVersion?: string };
  let text: string;
  try {
    ({ response } = await model.generateContent(
      { contents: [{ role: 'user', parts: [{ text: config.prompt }] }] },
      { signal: context.signal },
    ));
    // text() throws GoogleGenerativeAIResponseError when the prompt or the answer was blocked.
    text = response.text();
  } catch (error) {
    throw mapGeminiError(error, context.signal);
  }
  return {
    text,
    model: response.modelVersion ?? config.model,
    usage: {
      inputTokens: response.usageMetadata?.promptTokenCount ?? 0,
      outputTokens: response.usageMetadata?.candidatesTokenCount ?? 0,
    },
  };
}

function mapGeminiError(error: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return signal.reason;
  if (error instanceof GoogleGenerativeAIFetchError && typeof error.status === 'number') {
    return providerStatusError({
      provider: 'gemini',
      status: error.status,
      statusText: error.statusText,
      providerMessage: providerMessageOf(error),
      retryAfterMs: retryDelayFrom(error.errorDetails),
      cause: error,
    });
  }
  if (error instanceof GoogleGenerativeAIResponseError) {
    return new ConnectorError({
      type: ConnectorErrorType.LlmProvider,
      message: `gemini returned no usable answer: ${stripSdkPrefix(error.message)}`,
      retryable: false,
      data: { provider: 'gemini' },
      cause: error,
    });
  }
  if (error instanceof GoogleGenerativeAIError) return providerConnectionError('gemini', stripSdkPrefix(error.message), error);
  return error;
}

/** The SDK keeps the server's message only inside its own: `...: [401 Unauthorized] API key not valid`. */
function providerMessageOf(error: GoogleGenerativeAIFetchError): string {
  const match = /\[\d{3}[^\]]*\]\s*([\s\S]*)$/.exec(error.message);
  return (match?.[1] ?? stripSdkPrefix(error.message)).trim();
}

function stripSdkPrefix(message: string): string {
  return message.replace(/^\[GoogleGenerativeAI Error\]:\s*/, '');
}

/** Google APIs put the wait of a 429 in a `google.rpc.RetryInfo` detail, as a duration like `"30s"` or `"1.5s"`. */
function retryDelayFrom(details: ErrorDetails[] | undefined): number | undefined {
  const retryInfo = details?.find((detail) => detail['@type'] === 'type.googleapis.com/google.rpc.RetryInfo');
  const delay = (retryInfo as { retryDelay?: unknown } | undefined)?.retryDelay;
  const match = typeof delay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(delay) : null;
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}
