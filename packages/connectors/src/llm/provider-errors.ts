/** Classification of LLM provider failures, shared by the OpenAI and Gemini clients. */
import { ConnectorError, ConnectorErrorType, configError, truncateText } from '../errors.js';
import type { LlmProvider } from './config.js';

/**
 * HTTP statuses worth another attempt: 429 and 5xx, plus 408 (request timeout) and 409 (lock conflict),
 * the same set the `openai` SDK retries on its own (its retries are disabled here; Temporal retries instead).
 */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** A provider's HTTP error: `LlmProviderError` naming the provider, the status and the provider's message. */
export function providerStatusError(options: {
  provider: LlmProvider;
  status: number;
  statusText?: string;
  providerMessage?: string;
  retryAfterMs?: number;
  cause?: unknown;
}): ConnectorError {
  const { provider, status } = options;
  const statusPart = `HTTP ${status}${options.statusText ? ` ${options.statusText}` : ''}`;
  const detail = options.providerMessage ? `: ${truncateText(options.providerMessage, 1000)}` : '';
  return new ConnectorError({
    type: ConnectorErrorType.LlmProvider,
    message: `${provider} returned ${statusPart}${detail}`,
    retryable: isRetryableStatus(status),
    data: { provider, status, ...(options.providerMessage ? { providerMessage: truncateText(options.providerMessage) } : {}) },
    retryAfterMs: options.retryAfterMs,
    cause: options.cause,
  });
}

/** A failure without an HTTP status (connection refused, reset, timeout): retryable. */
export function providerConnectionError(provider: LlmProvider, detail: string, cause?: unknown): ConnectorError {
  return new ConnectorError({
    type: ConnectorErrorType.LlmProvider,
    message: `${provider} request failed: ${detail}`,
    retryable: true,
    data: { provider },
    cause,
  });
}

/**
 * The node's `apiKey`, else the worker's `variable` (only when the node sets no `baseUrl` of its own).
 * @throws ConnectorError `ConfigError` when neither may be used
 */
export function requireApiKey(env: Record<string, string | undefined>, variable: string, provider: LlmProvider, nodeKey?: string, nodeBaseUrl?: string): string {
  if (nodeKey) return nodeKey;
  // The worker's own key goes only to the base URL the operator configured, never to one a DAG names.
  if (nodeBaseUrl) throw configError(`A node that sets "baseUrl" must set its own "apiKey" too: the worker's ${variable} is never sent to a URL a DAG chose`, { variable });
  const key = env[variable];
  if (!key) {
    throw configError(
      `No ${provider} API key: set the node's "apiKey" (for example "{{ secrets.${variable} }}"); the worker's ${variable} is unset or serves another workspace (TRELLIS_ENV_KEYS_WORKSPACE)`,
      { variable },
    );
  }
  return key;
}
