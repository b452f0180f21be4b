/**
 * The one HTTP helper all connectors share (like n8n's request helper): it sends with Node's
 * global `fetch` and turns every transport outcome into either a response or a typed ConnectorError.
 */
import { STATUS_CODES } from 'node:http';
import { ConnectorError, ConnectorErrorType, configError, truncateText, type JsonValue } from './errors.js';
import { parseRetryAfter } from './retry-after.js';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE' | 'HEAD' | 'OPTIONS';

/** How to decode the response body. */
export type ResponseType = 'json' | 'text';

export interface RequestOptions {
  method?: HttpMethod;
  /** Absolute http(s) URL. */
  url: string;
  /** Request headers; names are case-insensitive. */
  headers?: Record<string, string>;
  /** Query parameters set on the URL, replacing same-named ones already in it. */
  query?: Record<string, string | number | boolean>;
  /**
   * Request body. A string is sent as-is; anything else (object, array, number...) is sent as JSON
   * with `content-type: application/json` unless a content-type header is given. `undefined` sends no body.
   */
  body?: unknown;
  /**
   * `json` parses the body as JSON (an empty body gives `null`); `text` returns it as a string;
   * absent: JSON when the response's content-type is JSON (`application/json`, `*+json`), else text.
   */
  responseType?: ResponseType;
  /** Caller's cancellation; when it aborts, its reason is thrown unchanged (cancellation is not a failure). */
  signal?: AbortSignal;
  /** Time limit for the whole exchange, body included, in ms. Absent: no limit besides `signal`. */
  timeoutMs?: number;
}

export interface HttpResponse {
  status: number;
  /** Response headers with lower-case names; repeated headers are joined with `, `. */
  headers: Record<string, string>;
  /** Parsed JSON or text, per `responseType`. */
  body: unknown;
}

/**
 * Sends one HTTP request. 2xx responses resolve; everything else throws.
 *
 * @throws ConnectorError `ConfigError` (not retryable) for a malformed URL or a body on GET/HEAD.
 * @throws ConnectorError `NetworkError` (retryable) when the connection fails (refused, reset, DNS, TLS).
 * @throws ConnectorError `TimeoutError` (retryable) when `timeoutMs` elapses.
 * @throws ConnectorError `HttpStatusError` for non-2xx: retryable for 5xx and 429, with `retryAfterMs` from
 *   `Retry-After` on 429 and 503; not retryable otherwise. `data` is `{ status, statusText, body }`, the body truncated.
 * @throws ConnectorError `InvalidJsonResponse` (not retryable) when a JSON body does not parse.
 * @throws the `signal`'s abort reason when the caller cancels.
 */
export async function request(options: RequestOptions): Promise<HttpResponse> {
  const method = options.method ?? 'GET';
  const url = buildUrl(options.url, options.query);
  const where = `${method} ${describeUrl(url)}`;
  const headers = buildHeaders(options.headers);
  const body = encodeBody(options.body, headers);
  if (body !== undefined && (method === 'GET' || method === 'HEAD')) {
    throw configError(`A ${method} request cannot have a body (${where})`);
  }

  const timeoutSignal = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
  const signals = [options.signal, timeoutSignal].filter((s): s is AbortSignal => s !== undefined);
  const signal = signals.length === 0 ? undefined : AbortSignal.any(signals);

  try {
    const response = await fetch(url, { method, headers, body, signal, redirect: 'follow' });
    const text = method === 'HEAD' ? '' : await response.text();
    const responseHeaders = headersToRecord(response.headers);
    if (!response.ok) throw statusError(response, text, where);
    return { status: response.status, headers: responseHeaders, body: decodeBody(text, response, options.responseType, where) };
  } catch (error) {
    if (error instanceof ConnectorError) throw error;
    if (options.signal?.aborted) throw options.signal.reason;
    if (timeoutSignal?.aborted) {
      throw new ConnectorError({
        type: ConnectorErrorType.Timeout,
        message: `Timed out after ${options.timeoutMs} ms: ${where}`,
        retryable: true,
        data: { timeoutMs: options.timeoutMs ?? null },
        cause: error,
      });
    }
    throw networkError(error, where);
  }
}

function buildUrl(raw: string, query: RequestOptions['query']): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw configError(`Invalid URL: ${truncateText(raw, 200)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw configError(`Unsupported URL protocol ${url.protocol} (only http and https)`);
  }
  for (const [name, value] of Object.entries(query ?? {})) url.searchParams.set(name, String(value));
  return url;
}

function buildHeaders(headers: Record<string, string> | undefined): Headers {
  try {
    return new Headers(headers);
  } catch (error) {
    throw configError(`Invalid request headers: ${(error as Error).message}`);
  }
}

/** The URL as shown in error messages: without credentials and query, which often carry secrets. */
function describeUrl(url: URL): string {
  return `${url.origin}${url.pathname}`;
}

function encodeBody(body: unknown, headers: Headers): string | undefined {
  if (body === undefined) return undefined;
  if (typeof body === 'string') return body;
  if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  return JSON.stringify(body);
}

function headersToRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, name) => {
    record[name] = value;
  });
  // Headers.forEach already joins repeats, except set-cookie, which the Fetch spec keeps separate.
  const cookies = headers.getSetCookie();
  if (cookies.length > 0) record['set-cookie'] = cookies.join(', ');
  return record;
}

function isJsonContentType(contentType: string | null): boolean {
  if (contentType === null) return false;
  const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
  return mediaType === 'application/json' || mediaType.endsWith('+json');
}

function decodeBody(text: string, response: Response, responseType: ResponseType | undefined, where: string): unknown {
  const wantsJson = responseType === 'json' || (responseType === undefined && isJsonContentType(response.headers.get('content-type')));
  if (!wantsJson) return text;
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new ConnectorError({
      type: ConnectorErrorType.InvalidJsonResponse,
      message: `Invalid JSON in the response of ${where}: ${(error as Error).message}`,
      retryable: false,
      data: { status: response.status, body: truncateText(text) },
      cause: error,
    });
  }
}

/** Error body for `data`: parsed JSON when it is JSON and small, else truncated text. */
function errorBody(text: string, response: Response): JsonValue {
  const truncated = truncateText(text);
  if (truncated !== text || !isJsonContentType(response.headers.get('content-type'))) return truncated;
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    return text;
  }
}

function statusError(response: Response, text: string, where: string): ConnectorError {
  const { status } = response;
  const statusText = response.statusText || STATUS_CODES[status] || '';
  const retryable = status >= 500 || status === 429;
  const retryAfterMs = status === 429 || status === 503 ? parseRetryAfter(response.headers.get('retry-after')) : undefined;
  return new ConnectorError({
    type: ConnectorErrorType.HttpStatus,
    message: `HTTP ${status}${statusText ? ` ${statusText}` : ''} from ${where}`,
    retryable,
    data: { status, statusText, body: errorBody(text, response) },
    retryAfterMs,
  });
}

/** Node's fetch reports transport failures as `TypeError('fetch failed')` with the system error as `cause`. */
function networkError(error: unknown, where: string): ConnectorError {
  const cause = (error as { cause?: { code?: unknown; message?: unknown } } | undefined)?.cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const detail = typeof cause?.message === 'string' ? cause.message : error instanceof Error ? error.message : String(error);
  return new ConnectorError({
    type: ConnectorErrorType.Network,
    message: `Network error on ${where}: ${detail}`,
    retryable: true,
    data: code === undefined ? undefined : { code },
    cause: error,
  });
}
