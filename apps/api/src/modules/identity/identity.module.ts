import { Global, Module } from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { RateLimitModule } from '../../common/rate-limit/rate-limit.module.js';
import { AccessGuard } from './access/access.guard.js';
import { PrincipalResolverService } from './access/principal-resolver.service.js';
import { RequestContextInterceptor } from './access/request-context.interceptor.js';
import { BootstrapApiKeyService } from './services/bootstrap-api-key.service.js';

/**
 * Who may do what: the global access guard (every handler declares its access; none declared is denied),
 * the request context every handler runs in, credential checks, and the bootstrap API key.
 */
@Global()
@Module({
  imports: [RateLimitModule],
  providers: [
    PrincipalResolverService,
    BootstrapApiKeyService,
    { provide: APP_GUARD, useClass: AccessGuard },
    { provide: APP_INTERCEPTOR, useClass: RequestContextInterceptor },
  ],
  exports: [PrincipalResolverService],
})
export class IdentityModule {}
