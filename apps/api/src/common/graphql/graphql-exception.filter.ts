import { type ArgumentsHost, Catch } from '@nestjs/common';
import { BaseExceptionFilter } from '@nestjs/core';
import { GqlArgumentsHost, type GqlContextType, type GqlExceptionFilter } from '@nestjs/graphql';
import { DenialAuditor } from '../../modules/audit/services/denial-auditor.service.js';
import { carrierOf } from '../../modules/identity/access/credential-carrier.js';
import { GraphQLError } from 'graphql';
import type { ServerResponse } from 'node:http';
import { HeaderMap } from '@apollo/server';
import { HTTP_STATUS_OF, TrellisException, TrellisExceptionCode } from '../exceptions/trellis-exception.js';
import { restErrorBody, sendJson } from '../rest/rest-error.js';

/** `extensions.code` of every error this API did not anticipate. */
export const INTERNAL_SERVER_ERROR = 'INTERNAL_SERVER_ERROR';

/**
 * The single place where exceptions become GraphQL errors:
 * - {@link TrellisException} → its message, `extensions.code` and, when present, `extensions.issues` and
 *   the exception's own `extensions` (such as `retryAfterSeconds`);
 * - an existing `GraphQLError` → unchanged;
 * - anything else → `"Internal server error"` with code `INTERNAL_SERVER_ERROR`; the original error is
 *   kept as `originalError` (never serialized) so the error-logging plugin can log it.
 * On REST routes a {@link TrellisException} (such as the access guard's `UNAUTHENTICATED`) is answered with
 * its HTTP status and the REST error body; anything else falls through to Nest's default HTTP handling.
 * Refusals (`FORBIDDEN`, a `NOT_FOUND` about another workspace's record) are also handed to the
 * {@link DenialAuditor}, without waiting for it.
 */
@Catch()
export class GraphqlExceptionFilter extends BaseExceptionFilter implements GqlExceptionFilter {
  constructor(private readonly denials: DenialAuditor) {
    super();
  }

  override catch(exception: unknown, host: ArgumentsHost): GraphQLError | void {
    this.auditRefusal(exception, host);
    if (host.getType<GqlContextType>() !== 'graphql') {
      if (exception instanceof TrellisException && host.getType() === 'http') {
        const response = host.switchToHttp().getResponse<ServerResponse>();
        const retryAfter = exception.extensions?.retryAfterSeconds;
        if (typeof retryAfter === 'number') response.setHeader('retry-after', String(retryAfter));
        sendJson(response, HTTP_STATUS_OF[exception.code], restErrorBody(exception.code, exception.message, exception.issues));
        return;
      }
      super.catch(exception, host);
      return;
    }
    // Nest's GraphQL proxy returns this value from the resolver; graphql-js reports a returned Error as a field error.
    return toGraphqlError(exception);
  }

  private auditRefusal(exception: unknown, host: ArgumentsHost): void {
    if (!(exception instanceof TrellisException)) return;
    const principal = carrierOf(host)?.trellisPrincipal;
    if (principal === undefined) return;
    let operation = 'unknown';
    let args: Record<string, unknown> = {};
    if (host.getType<GqlContextType>() === 'graphql') {
      const gql = GqlArgumentsHost.create(host);
      const info = gql.getInfo<{ parentType?: { name: string }; fieldName?: string } | undefined>();
      operation = `${info?.parentType?.name ?? '?'}.${info?.fieldName ?? '?'}`;
      args = gql.getArgs<Record<string, unknown>>() ?? {};
    } else if (host.getType() === 'http') {
      const request = host.switchToHttp().getRequest<{ method?: string; path?: string }>();
      operation = `${request.method ?? '?'} ${request.path ?? '?'}`;
    }
    void this.denials.consider(exception, { operation, principal, args });
  }
}

function toGraphqlError(exception: unknown): GraphQLError {
  if (exception instanceof TrellisException) {
    const retryAfter = exception.extensions?.retryAfterSeconds;
    return new GraphQLError(exception.message, {
      extensions: {
        ...exception.extensions,
        code: exception.code,
        ...(exception.issues && { issues: exception.issues }),
        // Apollo answers with this status and header (and strips `http` from the error it sends).
        ...(exception.code === TrellisExceptionCode.TOO_MANY_REQUESTS && {
          http: { status: 429, headers: new HeaderMap([['retry-after', String(retryAfter ?? 1)]]) },
        }),
      },
    });
  }
  if (exception instanceof GraphQLError) return exception;
  return new GraphQLError('Internal server error', {
    extensions: { code: INTERNAL_SERVER_ERROR },
    originalError: exception instanceof Error ? exception : new Error(String(exception)),
  });
}
