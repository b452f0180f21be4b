import type { IncomingMessage } from 'node:http';
import { Controller, HttpStatus, Param, Post, Query, Req, Res, UseFilters } from '@nestjs/common';
import { Public } from '../identity/access/access-declaration.js';
import { withSystemScope, withWorkspaceScope } from '../../infrastructure/prisma/workspace-scope.js';
import { webhookRawBody } from './webhook-body-reader.js';
import { WebhookError } from './webhook-error.js';
import { WebhookExceptionFilter } from './webhook-exception.filter.js';
import { parseIdempotencyKey, parseJsonBody, parseWaitMs } from './webhook-request.js';
import { type FinishedRunBody, WebhookRunsService } from './services/webhook-runs.service.js';
import { WebhookSecretsService } from './services/webhook-secrets.service.js';
import { verifyWebhookSignature } from './services/webhook-signature.js';

/** The part of Express's response this controller uses (Express 5 ships no type declarations here). */
interface StatusSettable {
  status(code: number): unknown;
}

/**
 * `POST /hooks/:agentId`: starts a run of the agent's live version with the signed JSON body as input.
 *
 * Checks, in this order, each refusing with `{ error: { code, message } }` before anything is started:
 * body over 1 MiB → 413 (in the body reader, before the rest); malformed `?wait` → 400; unknown agent
 * (or an id that is not a UUID) → 404; no secret set, missing, stale or wrong signature → 401; bad
 * `Idempotency-Key` or body that is not JSON → 400; input failing `inputSchema` → 422.
 *
 * The agent is looked up before the signature because the secret is per agent. That reveals whether an
 * agent id exists, which is acceptable: ids are random UUIDs (122 bits), so they cannot be enumerated, and
 * a caller needs 404 to tell an unknown agent from a bad signature.
 */
@Controller('hooks')
@Public("each call is verified with the agent's own webhook secret (HMAC-SHA256 signature)")
@UseFilters(WebhookExceptionFilter)
export class WebhooksController {
  constructor(
    private readonly secrets: WebhookSecretsService,
    private readonly runs: WebhookRunsService,
  ) {}

  /**
   * @returns 202 `{ runId }`; with `?wait=<seconds>` (0–60) 200 `{ runId, status, output | error }` once the
   *   run SUCCEEDED, FAILED or was CANCELLED within the wait, else 202 `{ runId }`
   */
  @Post(':agentId')
  async receive(
    @Param('agentId') agentId: string,
    @Query('wait') wait: unknown,
    @Req() request: IncomingMessage,
    @Res({ passthrough: true }) response: StatusSettable,
  ): Promise<{ runId: string } | FinishedRunBody> {
    const waitMs = parseWaitMs(wait);
    const body = webhookRawBody(request);
    if (body === undefined) throw new Error('The webhook body reader is not mounted (registerWebhookBodyReader)');

    const found = await withSystemScope('a webhook call names its agent; its secret, checked next, proves the caller', () =>
      this.secrets.find(agentId),
    );
    if (!found) throw new WebhookError(404, 'NOT_FOUND', `Agent ${agentId} not found`);
    if (found.secret === null) {
      throw new WebhookError(401, 'UNAUTHORIZED', 'No webhook secret is set for this agent (rotateWebhookSecret)');
    }
    const check = verifyWebhookSignature(found.secret, request.headers, body, Date.now());
    if (!check.ok) throw new WebhookError(401, 'UNAUTHORIZED', check.reason);

    const idempotencyKey = parseIdempotencyKey(request.headers['idempotency-key']);
    const input = parseJsonBody(body);
    return withWorkspaceScope(found.agent.workspaceId, async () => {
      const run = await this.runs.start(found.agent.id, input, idempotencyKey);
      if (waitMs > 0) {
        const finished = await this.runs.waitForOutcome(run, waitMs);
        if (finished) {
          response.status(HttpStatus.OK);
          return finished;
        }
      }
      response.status(HttpStatus.ACCEPTED);
      return { runId: run.id };
    });
  }
}
