/** The `openai` SDK client and its error mapping, shared by the `llm` connector and the agent activities. */
import OpenAI, { APIConnectionError, APIError, APIUserAbortError } from 'openai';
import { parseRetryAfter } from '../retry-after.js';
import { providerConnectionError, providerStatusError, requireApiKey } from './provider-errors.js';

/** Used when `OPENAI_BASE_URL` is unset; the SDK's own default, stated so the SDK never reads `process.env` itself. */
const DEFAULT_OPENAI_BASE_URL = 'https://api.openai.com/v1';

/** A node's own provider settings (`apiKey`, `baseUrl`), secrets already substituted; they win over the environment. */
export interface ProviderSettings {
  apiKey?: string;
  baseUrl?: string;
}

/**
 * A client configured from the node's settings, else the worker's environment: `OPENAI_API_KEY` (required), `OPENAI_BASE_URL` (any
 * OpenAI-compatible server, ending in `/v1`), `OPENAI_ORG_ID`, `OPENAI_PROJECT_ID`. The SDK's own retries are
 * off: Temporal retries the activity instead.
 *
 * @throws ConnectorError `ConfigError` when `OPENAI_API_KEY` is unset.
 */
export function createOpenAiClient(env: Record<string, string | undefined>, node: ProviderSettings = {}): OpenAI {
  return new OpenAI({
    apiKey: requireApiKey(env, 'OPENAI_API_KEY', 'openai', node.apiKey, node.baseUrl),
    baseURL: node.baseUrl || env.OPENAI_BASE_URL || DEFAULT_OPENAI_BASE_URL,
    organization: env.OPENAI_ORG_ID ?? null,
    project: env.OPENAI_PROJECT_ID ?? null,
    maxRetries: 0,
  });
}

/**
 * Classifies what the SDK threw: the abort reason when `signal` was aborted, `LlmProviderError` for HTTP
 * statuses (retryable per `isRetryableStatus`, with the server's retry delay) and connection failures
 * (retryable); anything else is returned unchanged.
 */
export function mapOpenAiError(error: unknown, signal: AbortSignal): unknown {
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
