import type { IncomingMessage, ServerResponse } from 'node:http';
import bodyParser from 'body-parser';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { restErrorBody, sendJson } from './rest-error.js';

/**
 * Parses JSON and form bodies (GraphQL, the decision links' HTML form) up to `limitBytes`, answering a larger
 * one with 413 and the REST error body `PAYLOAD_TOO_LARGE` that states the limit, instead of Express's HTML
 * page. Webhook bodies are read raw by their own reader, registered before this.
 *
 * @param limitBytes `TRELLIS_MAX_REQUEST_BYTES` (bytes)
 */
export function registerBodyParsers(app: NestExpressApplication, limitBytes: number): void {
  const parsers = [bodyParser.json({ limit: limitBytes }), bodyParser.urlencoded({ extended: true, limit: limitBytes })];
  for (const parse of parsers) {
    app.use((request: IncomingMessage, response: ServerResponse, next: (error?: unknown) => void) =>
      parse(request, response, (error?: unknown) => {
        if ((error as { type?: string } | undefined)?.type === 'entity.too.large') {
          sendJson(
            response,
            413,
            restErrorBody('PAYLOAD_TOO_LARGE', `The request body is larger than the limit of ${limitBytes} bytes (TRELLIS_MAX_REQUEST_BYTES)`),
          );
          return;
        }
        next(error);
      }),
    );
  }
}
