import { randomUUID } from 'node:crypto';
import { type CallHandler, type ExecutionContext, Injectable, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { carrierOf, headerOf } from './credential-carrier.js';
import { type RequestContext, runInRequestContext } from './request-context.js';

/** A client-sent request id is kept only when it is this short and plain, so logs cannot be flooded or forged. */
const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Runs each handler (root fields, field resolvers and routes) inside its request's context, after the
 * access guard has authenticated it. Nest binds `next.handle()` to the async scope it is called in, so
 * the handler and everything it awaits see the context.
 */
@Injectable()
export class RequestContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const carrier = carrierOf(context);
    const sentId = carrier && headerOf(carrier, 'x-request-id');
    const request: RequestContext = carrier?.trellisRequestContext ?? {
      principal: carrier?.trellisPrincipal,
      requestId: sentId !== undefined && REQUEST_ID_PATTERN.test(sentId) ? sentId : randomUUID(),
      ip: carrier?.ip,
      userAgent: carrier && headerOf(carrier, 'user-agent'),
    };
    // Field resolvers of the same operation reuse it (one request id per request).
    if (carrier) carrier.trellisRequestContext = request;
    return runInRequestContext(request, () => next.handle());
  }
}
