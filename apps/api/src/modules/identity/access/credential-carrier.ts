import type { ArgumentsHost } from '@nestjs/common';
import { GqlArgumentsHost, type GqlContextType } from '@nestjs/graphql';
import type { RateLimitDecision } from '../../../common/rate-limit/rate-limiter.service.js';
import type { Principal } from './principal.js';
import type { RequestContext } from './request-context.js';

/**
 * What a request's credentials are read from: its HTTP headers (and, for Express requests, the client
 * address), and where its resolved principal is kept so that a request is authenticated once.
 */
export interface CredentialCarrier {
  headers: Record<string, string | string[] | undefined>;
  /** Express's client address (`trust proxy` decides whether `X-Forwarded-For` counts). */
  ip?: string;
  /** Set by `PrincipalResolverService.resolve`. */
  trellisPrincipal?: Principal;
  /**
   * The context the request's handler runs in, set by `RequestContextInterceptor`, for code that runs
   * around the handler rather than inside it (another interceptor's completion).
   */
  trellisRequestContext?: RequestContext;
  /** The request's hit on its principal's rate limit, taken once per request by the access guard. */
  trellisRateLimit?: Promise<RateLimitDecision>;
}

/**
 * The carrier of a handler's request: the Express request of a REST route or a GraphQL operation over
 * HTTP, or the upgrade request of a graphql-ws connection; undefined when there is none.
 */
export function carrierOf(context: ArgumentsHost): CredentialCarrier | undefined {
  if (context.getType<GqlContextType>() === 'graphql') {
    const gqlContext = GqlArgumentsHost.create(context).getContext<{ req?: CredentialCarrier; connection?: CredentialCarrier }>();
    // `connection` first: Nest also puts a `req` on a subscription's context, holding graphql-ws's own context.
    return gqlContext.connection ?? gqlContext.req;
  }
  return context.switchToHttp().getRequest<CredentialCarrier>();
}

/** One header's value (Node joins most repeated headers; for the others the first counts). */
export function headerOf(carrier: CredentialCarrier, name: string): string | undefined {
  const value = carrier.headers[name];
  return Array.isArray(value) ? value[0] : value;
}
