import { Module } from '@nestjs/common';
import { HealthController } from './health.controller.js';
import { HealthService } from './services/health.service.js';

/** `GET /healthz`. */
@Module({
  controllers: [HealthController],
  providers: [HealthService],
})
export class HealthModule {}
