/**
 * The one HTTP helper all connectors share (like n8n's request helper): it sends through an outbound
 * session (the egress checks, see `egress/outbound.ts`), follows redirects itself so that every hop is
 * checked again, caps the response, and turns every transport outcome into either a response or a typed
 * ConnectorError.
 */
import { STATUS_CODES } from 'node:http';
import { fetch, Headers, type Response } from 'undici';
import { EgressBlockedError } from './egress/guarded-connector.js';
import { SecretHostNotAllowedError, type OutboundSession } from './egress/outbound.js';
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
  /** Time limit for the whole exchange, redirects and body included, in ms. Default {@link DEFAULT_REQUEST_TIMEOUT_MS}. */
  timeoutMs?: number;
  /** Cap on the response body, bytes. Default: the outbound path's (`TRELLIS_EGRESS_MAX_RESPONSE_BYTES`, 50 MiB). */
  maxResponseBytes?: number;
}

/** Five minutes: the activity's own default start-to-close timeout, so a silent server cannot hold a node longer. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5 * 60_000;

/** Redirects followed before giving up; the Fetch standard allows 20, browsers' users rarely see more than 2. */
export const MAX_REDIRECTS = 5;

/** Headers that carry credentials and never follow a redirect to another origin. */
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization', 'cookie'];

export interface HttpResponse {
  status: number;
  /** Response headers with lower-case names; repeated headers are joined with `, `. */
  headers: Record<string, string>;
  /** Parsed JSON or text, per `responseType`. */
  body: unknown;
}

/**
 * Sends one HTTP request through `session`: every hop's host must admit the session's secrets and pass the
 * egress policy before a socket is opened. Redirects (301, 302, 303, 307, 308) are followed here, at most
 * {@link MAX_REDIRECTS}; a hop to another origin drops `Authorization`, `Proxy-Authorization`, `Cookie` and
 * every header holding a secret's value; 303, and 301/302 after a POST, continue as a GET without a body.
 * 2xx responses resolve; everything else throws.
 *
 * @throws ConnectorError `ConfigError` (not retryable) for a malformed URL or a body on GET/HEAD.
 * @throws ConnectorError `EgressBlocked` (not retryable) when a hop's address is refused by the egress policy or
 *   its scheme is not http(s); `data` is `{ rule }`. `SecretHostNotAllowed` (not retryable) when a secret may
 *   not go to a hop's host; `data` is `{ secret, host }`. Nothing is sent to a refused hop.
 * @throws ConnectorError `TooManyRedirects` and `ResponseTooLarge` (not retryable).
 * @throws ConnectorError `NetworkError` (retryable) when the connection fails (refused, reset, TLS).
 * @throws ConnectorError `TimeoutError` (retryable) when `timeoutMs` elapses.
 * @throws ConnectorError `HttpStatusError` for non-2xx: retryable for 5xx and 429, with `retryAfterMs` from
 *   `Retry-After` on 429 and 503; not retryable otherwise. `data` is `{ status, statusText, body }`, the body truncated.
 * @throws ConnectorError `InvalidJsonResponse` (not retryable) when a JSON body does not parse.
 * @throws the `signal`'s abort reason when the caller cancels.
 */
export async function request(options: RequestOptions, session: OutboundSession): Promise<HttpResponse> {
  let method = options.method ?? 'GET';
  let url = buildUrl(options.url, options.query);
  const headers = buildHeaders(options.headers);
  let body = encodeBody(options.body, headers);
  if (body !== undefined && (method === 'GET' || method === 'HEAD')) {
    throw configError(`A ${method} request cannot have a body (${method} ${describeUrl(url)})`);
  }
  const maxResponseBytes = options.maxResponseBytes ?? session.maxResponseBytes;
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const timeoutSignal = AbortSignal.timeout(timeoutMs);
  const signal = options.signal === undefined ? timeoutSignal : AbortSignal.any([options.signal, timeoutSignal]);

  let where = `${method} ${describeUrl(url)}`;
  try {
    for (let redirects = 0; ; redirects += 1) {
      session.checkSecretHosts(url.hostname, portOf(url));
      const response = await fetch(url, { method, headers, body, signal, redirect: 'manual', dispatcher: session.dispatcher });
      const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get('location') : null;
      if (location === null) {
        const text = method === 'HEAD' ? '' : await readCapped(response, maxResponseBytes, where);
        if (!response.ok) throw statusError(response, text, where);
        return { status: response.status, headers: headersToRecord(response.headers), body: decodeBody(text, response, options.responseType, where) };
      }
      await response.body?.cancel();
      if (redirects === MAX_REDIRECTS) {
        throw new ConnectorError({ type: ConnectorErrorType.TooManyRedirects, message: `More than ${MAX_REDIRECTS} redirects from ${where}`, retryable: false });
      }
      const next = redirectTarget(location, url, where);
      if (next.origin !== url.origin) dropCredentials(headers, session);
      if (response.status === 303 ? method !== 'HEAD' : (response.status === 301 || response.status === 302) && method === 'POST') {
        method = 'GET';
        body = undefined;
        headers.delete('content-type');
        headers.delete('content-length');
      }
      url = next;
      where = `${method} ${describeUrl(url)}`;
    }
  } catch (error) {
    if (error instanceof ConnectorError) throw error;
    if (options.signal?.aborted) throw options.signal.reason;
    const refusal = refusalOf(error);
    if (refusal) throw refusalError(refusal, where);
    if (timeoutSignal.aborted) {
      throw new ConnectorError({
        type: ConnectorErrorType.Timeout,
        message: `Timed out after ${timeoutMs} ms: ${where}`,
        retryable: true,
        data: { timeoutMs },
        cause: error,
      });
    }
    throw networkError(error, where);
  }
}

const REDIRECT_STATUSES = new Set([301, 302, 303, 307, 308]);

function portOf(url: URL): number {
  return Number(url.port || (url.protocol === 'https:' ? 443 : 80));
}

/** The next hop of a redirect: an absolute http(s) URL resolved against the current one. */
function redirectTarget(location: string, from: URL, where: string): URL {
  let next: URL;
  try {
    next = new URL(location, from);
  } catch {
    throw new ConnectorError({ type: ConnectorErrorType.Network, message: `Invalid redirect location from ${where}: ${truncateText(location, 200)}`, retryable: false });
  }
  if (next.protocol !== 'http:' && next.protocol !== 'https:') {
    throw refusalError(new EgressBlockedError(`a redirect to ${next.protocol} is refused (only http and https)`, 'scheme'), where);
  }
  return next;
}

/** Removes what must not follow a redirect to another origin: credentials and any header carrying a secret. */
function dropCredentials(headers: Headers, session: OutboundSession): void {
  for (const name of CREDENTIAL_HEADERS) headers.delete(name);
  const carriers: string[] = [];
  headers.forEach((value, name) => {
    if (session.secrets.some((secret) => secret.value !== '' && value.includes(secret.value))) carriers.push(name);
  });
  for (const name of carriers) headers.delete(name);
}

/** The egress refusal somewhere in `error`'s cause chain (undici wraps it in `TypeError('fetch failed')`). */
export function refusalOf(error: unknown): EgressBlockedError | SecretHostNotAllowedError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; current = current.cause, depth += 1) {
    if (current instanceof EgressBlockedError || current instanceof SecretHostNotAllowedError) return current;
  }
  return undefined;
}

/** The non-retryable ConnectorError of an egress refusal. */
export function refusalError(refusal: EgressBlockedError | SecretHostNotAllowedError, where: string): ConnectorError {
  if (refusal instanceof SecretHostNotAllowedError) {
    return new ConnectorError({
      type: ConnectorErrorType.SecretHostNotAllowed,
      message: `${refusal.message} (${where})`,
      retryable: false,
      data: { secret: refusal.secret, host: refusal.host },
    });
  }
  return new ConnectorError({
    type: ConnectorErrorType.EgressBlocked,
    message: `Egress refused for ${where}: ${refusal.message}`,
    retryable: false,
    data: { rule: refusal.rule },
  });
}

/** Reads the body as UTF-8, refusing more than `maxBytes` (by `Content-Length` before reading, or while reading). */
async function readCapped(response: Response, maxBytes: number, where: string): Promise<string> {
  const tooLarge = () =>
    new ConnectorError({
      type: ConnectorErrorType.ResponseTooLarge,
      message: `The response of ${where} is larger than ${maxBytes} bytes (maxResponseBytes)`,
      retryable: false,
      data: { maxResponseBytes: maxBytes },
    });
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (response.body === null) return '';
  const chunks: Uint8Array[] = [];
  let total = 0;
  for await (const chunk of response.body) {
    total += chunk.byteLength;
    // Leaving the loop by throwing cancels the stream.
    if (total > maxBytes) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total).toString('utf8');
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
