import { Module } from '@nestjs/common';
import { ApiKeysResolver } from './api-keys.resolver.js';
import { ApiKeysService } from './services/api-keys.service.js';

/** A workspace's API keys, managed by its admins and owners (`apiKeys:manage`). */
@Module({
  providers: [ApiKeysResolver, ApiKeysService],
  exports: [ApiKeysService],
})
export class ApiKeysModule {}
