import { Body, Controller, Get, Headers, HttpStatus, Param, Post, Query, Res } from '@nestjs/common';
import { TrellisException, TrellisExceptionCode, type ValidationIssue } from '../../../common/exceptions/trellis-exception.js';
import { restErrorBody } from '../../../common/rest/rest-error.js';
import type { Approval } from '../../../infrastructure/prisma/prisma-client.js';
import { withSystemScope, withWorkspaceScope } from '../../../infrastructure/prisma/workspace-scope.js';
import { Public } from '../../identity/access/access-declaration.js';
import { AuditLog } from '../../audit/services/audit-log.service.js';
import { ApprovalsService } from '../services/approvals.service.js';
import { decisionPath, DecisionLinksService } from '../services/decision-links.service.js';
import { parseDecisionBody } from './decision-body.js';
import { HTML_SECURITY_HEADERS, renderDecisionPage, renderMessagePage } from './decision-page.js';
import { toDecisionView } from './decision-view.js';

/** The part of Express's response this controller uses (Express 5 ships no type declarations here). */
interface Reply {
  status(code: number): Reply;
  set(headers: Record<string, string>): Reply;
  type(contentType: string): Reply;
  json(body: unknown): unknown;
  send(body: string): unknown;
}

/** Error codes of the decision link endpoints, in `{ error: { code, message, issues? } }`. */
const HTTP_STATUS_OF: Record<string, number> = {
  BAD_REQUEST: HttpStatus.BAD_REQUEST,
  INVALID_TOKEN: HttpStatus.UNAUTHORIZED,
  NOT_FOUND: HttpStatus.NOT_FOUND,
  CONFLICT: HttpStatus.CONFLICT,
  LINK_EXPIRED: HttpStatus.GONE,
  [TrellisExceptionCode.BAD_USER_INPUT]: HttpStatus.UNPROCESSABLE_ENTITY,
};

/** Headers of every answer: the token is in the URL, so nothing is cached and no Referer carries it on. */
const COMMON_HEADERS = { 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer', 'X-Content-Type-Options': 'nosniff' };

class LinkError extends Error {
  constructor(
    readonly code: keyof typeof HTTP_STATUS_OF,
    message: string,
    readonly issues?: ValidationIssue[],
  ) {
    super(message);
  }
}

/**
 * Signed decision links: `GET /approvals/:id/decision?token=…` shows the approval, `POST` the same URL
 * decides it, once. JSON by default; an HTML page when the request's `Accept` asks for `text/html` (a
 * browser). Refusals: 401 `INVALID_TOKEN` (missing, malformed or tampered token, or one for another
 * approval), 410 `LINK_EXPIRED`, 404 `NOT_FOUND`, 409 `CONFLICT` (already decided, so the link was used;
 * timed out; the run ended), 400 `BAD_REQUEST` (a body without `approve`), 422 `BAD_USER_INPUT` (values
 * that do not match the form, with `issues`).
 */
@Controller('approvals/:id/decision')
@Public('a signed, single-use decision link is the capability to decide')
export class ApprovalDecisionController {
  constructor(
    private readonly approvals: ApprovalsService,
    private readonly links: DecisionLinksService,
    private readonly audit: AuditLog,
  ) {}

  /** `GET`: 200 with `{ approval }` (a `DecisionView`), whatever its status. */
  @Get()
  async show(
    @Param('id') id: string,
    @Query('token') token: unknown,
    @Headers('accept') accept: string | undefined,
    @Res() reply: Reply,
  ): Promise<void> {
    await this.answer(reply, accept, async () => {
      const approval = await this.authorise(id, token);
      return withWorkspaceScope(approval.workspaceId, async () => {
        const view = toDecisionView(approval, await this.approvals.closedReasonOf(approval));
        return { json: { approval: view }, html: () => renderDecisionPage(view, decisionPath(id, String(token))) };
      });
    });
  }

  /** `POST`: decides (never idempotent: a link decides once) and answers 200 with `{ approval }`. */
  @Post()
  async decide(
    @Param('id') id: string,
    @Query('token') token: unknown,
    @Headers('accept') accept: string | undefined,
    @Body() body: unknown,
    @Res() reply: Reply,
  ): Promise<void> {
    await this.answer(reply, accept, async () => {
      const approval = await this.authorise(id, token);
      const parsed = parseDecisionBody(body);
      if (!parsed.ok) throw new LinkError('BAD_REQUEST', 'Invalid decision', parsed.issues);
      return withWorkspaceScope(approval.workspaceId, async () => {
        const { decidedBy, ...decision } = parsed.body;
        const decided = await this.approvals.decide({ id, ...decision, decider: { kind: 'link', name: decidedBy }, idempotent: false });
        await this.audit.record({
          action: 'approval.decide',
          actor: { type: 'LINK', id },
          targetType: 'approval',
          targetId: id,
          metadata: { approve: parsed.body.approve },
        });
        const view = toDecisionView(decided, await this.approvals.closedReasonOf(decided));
        const outcome = decided.status === 'APPROVED' ? 'Approved' : 'Rejected';
        return { json: { approval: view }, html: () => renderMessagePage(outcome, `${outcome}: ${decided.message}`) };
      });
    });
  }

  /**
   * Checks the token (before anything is read, so a bad link learns nothing) and loads the approval from
   * whichever workspace holds it: the signed link, not a principal, names the approval.
   */
  private async authorise(id: string, token: unknown): Promise<Approval> {
    if (typeof token !== 'string' || token === '') throw new LinkError('INVALID_TOKEN', 'A decision link needs its token');
    const check = this.links.verify(id, token);
    if (!check.ok) {
      if (check.reason === 'expired') {
        throw new LinkError('LINK_EXPIRED', `This decision link expired at ${check.expiresAt.toISOString()}`);
      }
      throw new LinkError('INVALID_TOKEN', 'This decision link is not valid');
    }
    return withSystemScope('a verified decision link names its approval, whatever its workspace', () =>
      this.approvals.getById(id),
    );
  }

  /** Runs `work` and sends its result, or the error it throws, as JSON or HTML. */
  private async answer(
    reply: Reply,
    accept: string | undefined,
    work: () => Promise<{ json: unknown; html: () => string }>,
  ): Promise<void> {
    const html = accept?.includes('text/html') ?? false;
    let status: number = HttpStatus.OK;
    let result: { json: unknown; html: () => string };
    try {
      result = await work();
    } catch (error) {
      const failure = toLinkError(error);
      status = HTTP_STATUS_OF[failure.code];
      result = { json: restErrorBody(failure.code, failure.message, failure.issues), html: () => renderMessagePage('Decision link refused', failure.message) };
    }
    reply.status(status).set(COMMON_HEADERS);
    if (html) reply.set(HTML_SECURITY_HEADERS).type('html').send(result.html());
    else reply.json(result.json);
  }
}

/** Maps the service's expected failures to link errors; anything else is rethrown (a 500). */
function toLinkError(error: unknown): LinkError {
  if (error instanceof LinkError) return error;
  if (error instanceof TrellisException) {
    switch (error.code) {
      case TrellisExceptionCode.NOT_FOUND:
        return new LinkError('NOT_FOUND', error.message);
      case TrellisExceptionCode.CONFLICT:
        return new LinkError('CONFLICT', error.message);
      case TrellisExceptionCode.BAD_USER_INPUT:
        return new LinkError(TrellisExceptionCode.BAD_USER_INPUT, error.message, error.issues);
    }
  }
  throw error;
}
