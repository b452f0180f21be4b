import type { ServerResponse } from 'node:http';
import { type ArgumentsHost, Catch, type ExceptionFilter, Inject } from '@nestjs/common';
import type { Logger } from 'pino';
import { LOGGER } from '../../infrastructure/logging/logger.js';
import { sendJson } from '../../common/rest/rest-error.js';
import { WebhookError } from './webhook-error.js';

/**
 * Writes every error of the webhook controller as `{ error: { code, message } }`: a {@link WebhookError}
 * with its status, anything else as a logged 500 without details.
 */
@Catch()
export class WebhookExceptionFilter implements ExceptionFilter {
  constructor(@Inject(LOGGER) private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<ServerResponse>();
    if (response.headersSent) return;
    if (exception instanceof WebhookError) {
      if (exception.retryAfterSeconds !== undefined) response.setHeader('retry-after', String(exception.retryAfterSeconds));
      sendJson(response, exception.status, exception.toBody());
      return;
    }
    this.logger.error({ err: exception }, 'webhook request failed');
    const internal = new WebhookError(500, 'INTERNAL_SERVER_ERROR', 'Internal server error');
    sendJson(response, internal.status, internal.toBody());
  }
}
