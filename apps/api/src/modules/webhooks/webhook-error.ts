import type { ValidationIssue } from '../../common/exceptions/trellis-exception.js';
import { restErrorBody, type RestErrorBody } from '../../common/rest/rest-error.js';

/** `error.code` values of `POST /hooks/:agentId` responses. */
export type WebhookErrorCode =
  | 'BAD_REQUEST'
  | 'INVALID_JSON'
  | 'UNAUTHORIZED'
  | 'NOT_FOUND'
  | 'CONFLICT'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INVALID_INPUT'
  | 'TOO_MANY_REQUESTS'
  | 'INTERNAL_SERVER_ERROR';

/** The JSON body of every webhook error: `{ error: { code, message, issues? } }`. */
export type WebhookErrorBody = RestErrorBody<WebhookErrorCode>;

/**
 * An expected webhook failure with its HTTP status. Thrown by the webhook controller and its services;
 * {@link WebhookExceptionFilter} and the body reader write it as {@link WebhookErrorBody}.
 */
export class WebhookError extends Error {
  constructor(
    readonly status: number,
    readonly code: WebhookErrorCode,
    message: string,
    /** Per-field problems (422 `INVALID_INPUT`: paths such as `input.amount`). */
    readonly issues?: ValidationIssue[],
    /** Seconds until a refused call may be retried (429), sent as `Retry-After`. */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'WebhookError';
  }

  /** The response body. */
  toBody(): WebhookErrorBody {
    return restErrorBody(this.code, this.message, this.issues);
  }
}
