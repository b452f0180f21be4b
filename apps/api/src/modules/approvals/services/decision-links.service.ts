import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { API_CONFIG, type ApiConfig } from '../../../infrastructure/config/api-config.js';
import type { Approval } from '../../../infrastructure/prisma/prisma-client.js';
import { type DecisionTokenCheck, signDecisionToken, verifyDecisionToken } from './decision-token.js';

/** How long a decision link of an approval without a timeout stays valid: 7 days (ms). */
export const DEFAULT_DECISION_LINK_LIFETIME_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Signed, single-use decision links (`GET`/`POST /approvals/:id/decision?token=…`). A link expires at the
 * approval's `dueAt`, or {@link DEFAULT_DECISION_LINK_LIFETIME_MS} after it was issued when the approval
 * never times out. It is single-use because a decision through a link is accepted only while the approval
 * is PENDING.
 */
@Injectable()
export class DecisionLinksService {
  private readonly secretKey: string;

  constructor(
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    // Without a configured key, links are valid only as long as this process runs (documented).
    this.secretKey = config.secretKey ?? randomBytes(32).toString('hex');
  }

  /**
   * The decision URL of `approval`, issued at `issuedAt`: the expiry of an approval without `dueAt` counts
   * from then. `Approval.decisionUrl` issues at `createdAt`, so it reads the same on every query.
   */
  urlFor(approval: Pick<Approval, 'id' | 'dueAt'>, issuedAt: Date): string {
    const expiresAt = approval.dueAt ?? new Date(issuedAt.getTime() + DEFAULT_DECISION_LINK_LIFETIME_MS);
    const token = signDecisionToken(this.secretKey, approval.id, expiresAt);
    return `${this.baseUrl()}${decisionPath(approval.id, token)}`;
  }

  /** Checks a link's token for `approvalId` (see {@link verifyDecisionToken}). */
  verify(approvalId: string, token: string): DecisionTokenCheck {
    return verifyDecisionToken(this.secretKey, approvalId, token);
  }

  /** `TRELLIS_PUBLIC_URL`, else `http://localhost:<the port the server is bound to>`. */
  private baseUrl(): string {
    if (this.config.publicUrl) return this.config.publicUrl;
    const address = this.adapterHost.httpAdapter.getHttpServer().address() as AddressInfo | null;
    return `http://localhost:${address?.port ?? this.config.port}`;
  }
}

/** Path and query of a decision link. */
export function decisionPath(approvalId: string, token: string): string {
  return `/approvals/${encodeURIComponent(approvalId)}/decision?token=${encodeURIComponent(token)}`;
}
