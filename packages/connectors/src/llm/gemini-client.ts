/** The `@google/generative-ai` client and its error mapping, shared by the `llm` connector and the agent activities. */
import {
  GoogleGenerativeAI,
  GoogleGenerativeAIError,
  GoogleGenerativeAIFetchError,
  GoogleGenerativeAIResponseError,
  type ErrorDetails,
  type RequestOptions,
} from '@google/generative-ai';
import { ConnectorError, ConnectorErrorType } from '../errors.js';
import type { ProviderSettings } from './openai-client.js';
import { providerConnectionError, providerStatusError, requireApiKey } from './provider-errors.js';

/** A Gemini client plus the request options every model it creates needs. */
export interface GeminiClient {
  client: GoogleGenerativeAI;
  /** Pass to `getGenerativeModel` as its second argument: carries `GEMINI_BASE_URL`. */
  requestOptions: RequestOptions;
}

/**
 * A client configured from the node's settings (`apiKey`, `baseUrl`), else the worker's environment: `GEMINI_API_KEY` (required) and optional
 * `GEMINI_BASE_URL` (the origin the SDK appends `/v1beta/models/{model}:generateContent` to). The SDK has no
 * retries of its own.
 *
 * @throws ConnectorError `ConfigError` when `GEMINI_API_KEY` is unset.
 */
export function createGeminiClient(env: Record<string, string | undefined>, node: ProviderSettings = {}): GeminiClient {
  return {
    client: new GoogleGenerativeAI(requireApiKey(env, 'GEMINI_API_KEY', 'gemini', node.apiKey, node.baseUrl)),
    // The SDK appends `/v1beta/...` with its own slash.
    requestOptions: { baseUrl: (node.baseUrl || env.GEMINI_BASE_URL)?.replace(/\/+$/, '') || undefined },
  };
}

/** The SDK's default origin, used when `GEMINI_BASE_URL` is unset. */
const DEFAULT_GEMINI_ORIGIN = 'https://generativelanguage.googleapis.com';

/** The origin a client's requests go to, for messages. */
export function geminiOrigin(requestOptions: RequestOptions): string {
  return requestOptions.baseUrl ?? DEFAULT_GEMINI_ORIGIN;
}

/**
 * Classifies what the SDK threw: the abort reason when `signal` was aborted; `LlmProviderError` for HTTP
 * statuses (retryable per `isRetryableStatus`, with the delay of a `google.rpc.RetryInfo` detail), for blocked
 * answers (not retryable) and for other SDK failures (retryable); anything else is returned unchanged.
 */
export function mapGeminiError(error: unknown, signal: AbortSignal): unknown {
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
