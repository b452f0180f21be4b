/** The `http` connector: one HTTP request through the shared request helper. */
import { z } from 'zod';
import { defineConnector } from './connector.js';
import { request, type HttpResponse } from './request.js';

export const httpConfigSchema = z.strictObject({
  method: z.enum(['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS']).default('GET'),
  url: z.url({ protocol: /^https?$/, error: 'must be a valid http or https URL' }),
  headers: z.record(z.string(), z.string()).optional(),
  query: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  /** A string is sent as-is; any other value as JSON. */
  body: z.unknown().optional(),
  responseType: z.enum(['json', 'text']).optional(),
  /** Cap on the response body, bytes; default the worker's `TRELLIS_EGRESS_MAX_RESPONSE_BYTES` (50 MiB). */
  maxResponseBytes: z.int().positive().optional(),
  /**
   * Sends `Idempotency-Key: trellis-<run id>-<node id>`, the same on every attempt, so a receiver that honours
   * it drops the one duplicate at-least-once delivery allows when a worker dies mid-request. A header of the
   * same name in `headers` wins.
   */
  idempotencyKey: z.boolean().optional(),
});

/** Parsed config of an `http` node. */
export type HttpConfig = z.output<typeof httpConfigSchema>;

/** Output of an `http` node: `{ status, headers, body }`. */
export type HttpOutput = HttpResponse;

/**
 * Sends the request described by the node's config and returns `{ status, headers, body }`.
 * Errors are those of {@link request}: non-2xx statuses fail the node (5xx and 429 are retried).
 */
export const httpConnector = defineConnector({
  type: 'http',
  description: 'Sends an HTTP request and returns its status, headers and body (JSON or text).',
  configSchema: httpConfigSchema,
  async execute(config, context): Promise<HttpOutput> {
    return request({
      method: config.method,
      url: config.url,
      headers: config.idempotencyKey ? withIdempotencyKey(config.headers, context.idempotencyKey) : config.headers,
      query: config.query,
      body: config.body,
      responseType: config.responseType,
      signal: context.signal,
      maxResponseBytes: config.maxResponseBytes,
    }, context.outbound);
  },
});

/** `headers` with `Idempotency-Key: key` unless they already name one (in any case). */
function withIdempotencyKey(headers: Record<string, string> | undefined, key: string): Record<string, string> {
  const named = Object.keys(headers ?? {}).some((name) => name.toLowerCase() === 'idempotency-key');
  return named ? headers! : { ...headers, 'Idempotency-Key': key };
}
