import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext, type GqlContextType } from '@nestjs/graphql';
import { API_CONFIG, type ApiConfig } from '../../../infrastructure/config/api-config.js';
import { assertSameOrigin } from './origin-check.js';
import { TrellisException } from '../../../common/exceptions/trellis-exception.js';
import { roleAllows } from '../permissions.js';
import { ACCEPTED_ORIGIN, ACCESS_DECLARATION, type AcceptedOrigin, type AccessDeclaration } from './access-declaration.js';
import { RateLimiterService } from '../../../common/rate-limit/rate-limiter.service.js';
import { type CredentialCarrier, carrierOf } from './credential-carrier.js';
import { PrincipalResolverService } from './principal-resolver.service.js';
import type { Principal } from './principal.js';

/** The header that picks a session's workspace when the user belongs to several. */
export const WORKSPACE_HEADER = 'trellis-workspace';

/**
 * The one access check of the API, installed globally: every GraphQL root field and HTTP route must
 * declare an {@link AccessDeclaration} (`@Public`, `@SignedIn` or `@RequirePermission`), and one that
 * declares none is denied. Field resolvers below the root are not guarded: they only read what their
 * parent returned, and the workspace scope of the Prisma client keeps them inside the request's workspace.
 *
 * @throws TrellisException `UNAUTHENTICATED` without valid credentials, `FORBIDDEN` when the role lacks the
 *   permission (or nothing is declared) or a session's mutation comes from another site (see `assertSameOrigin`), `BAD_USER_INPUT` when a session user in several workspaces names none.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly principals: PrincipalResolverService,
    @Inject(API_CONFIG) private readonly config: ApiConfig,
    private readonly limiter: RateLimiterService,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const declaration = this.reflector.getAllAndOverride<AccessDeclaration | undefined>(ACCESS_DECLARATION, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (declaration === undefined) {
      throw TrellisException.forbidden(`${context.getClass().name}.${context.getHandler().name} declares no access rule`);
    }
    if (declaration.kind === 'public') return true;
    const carrier = carrierOf(context);
    if (carrier === undefined) throw TrellisException.unauthenticated('No credentials');
    const principal = await this.principals.resolve(carrier);
    await this.limitRequests(carrier, principal);
    if (principal.kind === 'USER' && changesState(context)) assertSameOrigin(carrier, this.config.publicUrl, this.acceptedOrigin(context));
    if (declaration.kind === 'signedIn') return true;
    authorize(principal, declaration.permission);
    return true;
  }

  /** The URL of the other site a handler accepts session requests from (`@AcceptsOrigin`), when it names one that is configured. */
  private acceptedOrigin(context: ExecutionContext): string | undefined {
    const accepted = this.reflector.getAllAndOverride<AcceptedOrigin | undefined>(ACCEPTED_ORIGIN, [context.getHandler(), context.getClass()]);
    return accepted === 'temporalUi' ? this.config.temporalUiUrl : undefined;
  }

  /**
   * Counts the request against its principal's `requestsPerMinute` (a user's sessions and a key each share
   * one budget, across API processes), once per request: every root field of a refused request is refused.
   *
   * @throws TrellisException `TOO_MANY_REQUESTS` with `retryAfterSeconds`
   */
  private async limitRequests(carrier: CredentialCarrier, principal: Principal): Promise<void> {
    const limit = this.config.limits.requestsPerMinute;
    if (limit === 0) return;
    carrier.trellisRateLimit ??= this.limiter.take(`requests:${principal.kind === 'USER' ? `user:${principal.userId}` : `api_key:${principal.apiKeyId}`}`, {
      limit,
      windowMs: REQUEST_RATE_WINDOW_MS,
    });
    const decision = await carrier.trellisRateLimit;
    if (!decision.allowed) {
      throw TrellisException.tooManyRequests(
        `More than ${limit} requests per minute (TRELLIS_RATE_LIMIT_PER_MINUTE); retry in ${decision.retryAfterSeconds} seconds`,
        decision.retryAfterSeconds,
      );
    }
  }
}

/** The window of the per-principal request limit: one minute (ms). */
const REQUEST_RATE_WINDOW_MS = 60_000;

/** Mutations and subscriptions over GraphQL, and every REST method but GET and HEAD. */
function changesState(context: ExecutionContext): boolean {
  if (context.getType<GqlContextType>() === 'graphql') {
    const operation = GqlExecutionContext.create(context).getInfo<{ operation?: { operation?: string } }>().operation?.operation;
    return operation !== 'query';
  }
  const method = context.switchToHttp().getRequest<{ method?: string }>().method ?? 'GET';
  return method !== 'GET' && method !== 'HEAD';
}

function authorize(principal: Principal, permission: Parameters<typeof roleAllows>[1]): void {
  if (principal.workspaceId === null || principal.role === null) {
    throw TrellisException.badUserInput(`Send the ${WORKSPACE_HEADER} header with the id of one of your workspaces`, [
      { path: WORKSPACE_HEADER, message: 'required: the user belongs to several workspaces, or to none' },
    ]);
  }
  if (!roleAllows(principal.role, permission)) {
    throw TrellisException.forbidden(`The ${principal.role} role may not do this (needs ${permission})`);
  }
}
