import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { type Observable, from, mergeMap } from 'rxjs';
import { carrierOf } from '../identity/access/credential-carrier.js';
import { runInRequestContext } from '../identity/access/request-context.js';
import { AUDITED, type AuditedDeclaration } from './audited.decorator.js';
import { AuditLog } from './services/audit-log.service.js';

/**
 * Records the `@Audited` event of a handler once it has returned, before the response is sent, so a
 * successful change is never answered without its audit row. The event is written in the handler's
 * request context (actor, workspace, address, request id), read from the request.
 */
@Injectable()
export class AuditInterceptor implements NestInterceptor {
  constructor(
    private readonly reflector: Reflector,
    private readonly audit: AuditLog,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const declaration = this.reflector.get<AuditedDeclaration | undefined>(AUDITED, context.getHandler());
    if (declaration === undefined) return next.handle();
    const args = context.getType<string>() === 'graphql' ? GqlExecutionContext.create(context).getArgs<Record<string, unknown>>() : {};
    const record = (result: unknown) =>
      this.audit.record({
        action: declaration.action,
        targetType: declaration.targetType,
        targetId: declaration.targetId(args, result) ?? null,
        metadata: declaration.metadata?.(args, result),
      });
    return next.handle().pipe(
      mergeMap((result) => {
        // Global interceptors do not nest in a fixed order: take the handler's context from its request.
        const request = carrierOf(context)?.trellisRequestContext;
        const recorded = request ? runInRequestContext(request, () => record(result)) : record(result);
        return from(recorded.then(() => result));
      }),
    );
  }
}
