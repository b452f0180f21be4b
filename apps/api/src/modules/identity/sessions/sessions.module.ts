import { Module } from '@nestjs/common';
import { RateLimitModule } from '../../../common/rate-limit/rate-limit.module.js';
import { LoginService } from './services/login.service.js';
import { MeService } from './services/me.service.js';
import { OwnerSetupService } from './services/owner-setup.service.js';
import { SessionCookieService } from './services/session-cookie.service.js';
import { SessionStoreService } from './services/session-store.service.js';
import { SessionsResolver } from './sessions.resolver.js';

/**
 * People signing in: the first-run setup token and `setupOwner`, `login` with its failure limits, `logout`
 * and `me`. The session cookie it sets is checked on every request by the access guard's principal resolver.
 */
@Module({
  imports: [RateLimitModule],
  providers: [SessionsResolver, OwnerSetupService, LoginService, SessionStoreService, SessionCookieService, MeService],
  exports: [SessionStoreService, SessionCookieService, MeService],
})
export class SessionsModule {}
