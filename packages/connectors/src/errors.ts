/**
 * The one error type every connector throws. The activity layer turns it into a Temporal
 * `ApplicationFailure`, so `type`, `retryable` and `retryAfterMs` drive Temporal's retry policy.
 */

/** A JSON value: what may travel in `ConnectorError.data` (it ends up in Temporal failure details). */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** Stable error type names. Users list them in a node's `retry.nonRetryableErrorTypes`, so never rename one. */
export const ConnectorErrorType = {
  /** The server answered with a non-2xx status. Retryable for 5xx and 429. */
  HttpStatus: 'HttpStatusError',
  /** The connection failed (refused, reset, DNS, TLS). Retryable. */
  Network: 'NetworkError',
  /** The request took longer than its timeout. Retryable. */
  Timeout: 'TimeoutError',
  /** The response claimed or was required to be JSON but did not parse. Not retryable. */
  InvalidJsonResponse: 'InvalidJsonResponse',
  /** The node's config or the worker's environment is wrong. Not retryable. */
  Config: 'ConfigError',
  /** An LLM provider rejected or failed the call. Retryable for 429, 5xx and connection failures. */
  LlmProvider: 'LlmProviderError',
  /** JSON output was asked for and the model's text is not JSON. Retryable: a new sample may be valid. */
  LlmInvalidJson: 'LlmInvalidJson',
  /** No connector is registered for the node's type. Not retryable. */
  UnknownConnector: 'UnknownConnectorError',
  /** A `code` node's source threw, was rejected, or does not parse. Not retryable. */
  Code: 'CodeError',
  /** A `code` node ran longer than its `timeout`. Not retryable: the same code would loop again. */
  CodeTimeout: 'CodeTimeout',
  /** A `code` node allocated more than its `memoryMb`. Not retryable. */
  CodeMemoryLimit: 'CodeMemoryLimit',
  /** A `code` node returned something that is not JSON (a function, a BigInt, a cycle) or is too big. Not retryable. */
  CodeResult: 'CodeResultError',
  /** The egress policy refused an address or scheme the request would reach; nothing was sent there. Not retryable. */
  EgressBlocked: 'EgressBlocked',
  /** A secret would have gone to a host outside its `allowedHosts`; nothing was sent. Not retryable. */
  SecretHostNotAllowed: 'SecretHostNotAllowed',
  /** A referenced secret does not exist in the run's workspace (deleted since the version was saved). Not retryable. */
  SecretNotFound: 'SecretNotFound',
  /** A request was redirected more than `MAX_REDIRECTS` times. Not retryable. */
  TooManyRedirects: 'TooManyRedirects',
  /** A response body was larger than `maxResponseBytes`. Not retryable. */
  ResponseTooLarge: 'ResponseTooLarge',
  /** The sandbox thread of a `code` node died for a reason other than the code's limits. Retryable. */
  CodeSandboxCrashed: 'CodeSandboxCrashed',
} as const;

/** Constructor options of {@link ConnectorError}. */
export interface ConnectorErrorOptions {
  /** A stable name, usually one of {@link ConnectorErrorType}. */
  type: string;
  message: string;
  /** Whether a later attempt of the same call may succeed. */
  retryable: boolean;
  /** JSON facts for the workflow and the UI, such as `{ status: 404, body }`. Keep it to a few KiB. */
  data?: JsonValue;
  /** Delay the server asked for before the next attempt, in ms (from `Retry-After` and similar). */
  retryAfterMs?: number;
  /** The underlying error, kept for logs. */
  cause?: unknown;
}

/** A typed, classified connector failure. */
export class ConnectorError extends Error {
  /** Stable error type name, such as `HttpStatusError`. */
  readonly type: string;
  /** Whether Temporal should try the node again. */
  readonly retryable: boolean;
  /** JSON details (status, truncated body, provider...). */
  readonly data?: JsonValue;
  /** Delay before the next attempt requested by the remote side, in ms. */
  readonly retryAfterMs?: number;

  constructor(options: ConnectorErrorOptions) {
    super(options.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ConnectorError';
    this.type = options.type;
    this.retryable = options.retryable;
    if (options.data !== undefined) this.data = options.data;
    if (options.retryAfterMs !== undefined) this.retryAfterMs = options.retryAfterMs;
  }
}

/** Shorthand for a non-retryable `ConfigError`. */
export function configError(message: string, data?: JsonValue): ConnectorError {
  return new ConnectorError({ type: ConnectorErrorType.Config, message, retryable: false, data });
}

/**
 * Largest text kept in error data, in characters (about 4 KiB of ASCII): enough to read an error
 * body, small enough to store in Temporal history and Postgres on every failed attempt.
 */
export const MAX_ERROR_TEXT_CHARS = 4096;

/** Cuts `text` to `maxChars` characters, marking the cut with how much was dropped. */
export function truncateText(text: string, maxChars: number = MAX_ERROR_TEXT_CHARS): string {
  if (text.length <= maxChars) return text;
  return `${text.slice(0, maxChars)}… [truncated ${text.length - maxChars} chars]`;
}
