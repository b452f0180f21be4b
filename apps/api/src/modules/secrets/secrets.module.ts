import { Module } from '@nestjs/common';
import { SecretsResolver } from './secrets.resolver.js';
import { SecretsService } from './services/secrets.service.js';

/** The workspace's secrets vault (`secrets:read`, `secrets:manage`). */
@Module({ providers: [SecretsResolver, SecretsService] })
export class SecretsModule {}
