import type { IncomingMessage, ServerResponse } from 'node:http';
import type { INestApplication } from '@nestjs/common';
import { sendJson } from '../../common/rest/rest-error.js';
import { WebhookError } from './webhook-error.js';

/** Largest webhook body accepted (bytes): 1 MiB, ample for event payloads and small enough to buffer. */
export const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

/** Path prefix of the webhook routes. */
export const WEBHOOK_PATH_PREFIX = '/hooks';

/** Raw bodies read by the middleware, keyed by request; nothing else can reach them. */
const rawBodies = new WeakMap<IncomingMessage, Buffer>();

/** The exact bytes of a webhook request's body, or undefined when {@link readWebhookBody} did not read it. */
export function webhookRawBody(request: IncomingMessage): Buffer | undefined {
  return rawBodies.get(request);
}

/**
 * Express-style middleware that reads a POST body as raw bytes, because the signature covers the bytes
 * exactly as sent, and refuses bodies over `limitBytes` with 413 without buffering them: a declared
 * `Content-Length` over the limit is refused before any byte is read, and a streamed (chunked) body as soon
 * as it passes the limit; the rest of it is read and discarded. Compressed bodies (`Content-Encoding` other
 * than `identity`) are refused with 415. Once the body is read, Nest's JSON parser sees a finished request
 * and leaves it alone.
 *
 * @param limitBytes largest accepted body (bytes); default {@link WEBHOOK_BODY_LIMIT_BYTES}
 */
export function readWebhookBody(limitBytes = WEBHOOK_BODY_LIMIT_BYTES) {
  return (request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void): void => {
    if (request.method !== 'POST') {
      next();
      return;
    }
    const encoding = request.headers['content-encoding']?.trim().toLowerCase();
    if (encoding && encoding !== 'identity') {
      refuse(response, new WebhookError(415, 'UNSUPPORTED_MEDIA_TYPE', 'Compressed bodies are not accepted'));
      return;
    }
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limitBytes) {
      refuse(response, tooLarge(limitBytes));
      return;
    }

    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    request.on('data', (chunk: Buffer) => {
      if (settled) return; // over the limit: discard what is still arriving
      size += chunk.length;
      if (size > limitBytes) {
        settled = true;
        chunks.length = 0;
        refuse(response, tooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    });
    request.once('end', () => {
      if (settled) return;
      settled = true;
      rawBodies.set(request, Buffer.concat(chunks, size));
      next();
    });
    request.once('error', (error) => {
      if (settled) return;
      settled = true;
      next(error);
    });
  };
}

/**
 * Mounts {@link readWebhookBody} on {@link WEBHOOK_PATH_PREFIX}. Must be called before the application is
 * initialised (before `listen`), so it runs ahead of the JSON body parser Nest registers then.
 */
export function registerWebhookBodyReader(app: INestApplication, limitBytes = WEBHOOK_BODY_LIMIT_BYTES): void {
  app.use(WEBHOOK_PATH_PREFIX, readWebhookBody(limitBytes));
}

function tooLarge(limitBytes: number): WebhookError {
  return new WebhookError(413, 'PAYLOAD_TOO_LARGE', `The body is larger than ${limitBytes} bytes`);
}

function refuse(response: ServerResponse, error: WebhookError): void {
  if (!response.headersSent) sendJson(response, error.status, error.toBody());
}
