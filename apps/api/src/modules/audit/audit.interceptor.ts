import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { type Observable, from, mergeMap } from 'rxjs';
import { AUDITED, type AuditedDeclaration } from './audited.decorator.js';
import { AuditLog } from './services/audit-log.service.js';

/**
 * Records the `@Audited` event of a handler once it has returned, before the response is sent, so a
 * successful change is never answered without its audit row. Runs inside the request context (it is
 * registered after `RequestContextInterceptor`).
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
    return next.handle().pipe(
      mergeMap((result) =>
        from(
          this.audit
            .record({
              action: declaration.action,
              targetType: declaration.targetType,
              targetId: declaration.targetId(args, result) ?? null,
              metadata: declaration.metadata?.(args, result),
            })
            .then(() => result),
        ),
      ),
    );
  }
}
