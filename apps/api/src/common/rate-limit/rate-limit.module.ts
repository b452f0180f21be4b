import { Module } from '@nestjs/common';
import { RateLimiterService } from './rate-limiter.service.js';

/** Fixed-window rate limits shared by every API process through Postgres; see {@link RateLimiterService}. */
@Module({
  providers: [RateLimiterService],
  exports: [RateLimiterService],
})
export class RateLimitModule {}
