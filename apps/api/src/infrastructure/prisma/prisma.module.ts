import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { createWorkspaceScopedClient, PRISMA, type TrellisPrismaClient } from './prisma-client.js';

/** Closes the connection pool when the application shuts down. */
@Injectable()
class PrismaShutdown implements OnApplicationShutdown {
  constructor(@Inject(PRISMA) private readonly prisma: TrellisPrismaClient) {}

  async onApplicationShutdown(): Promise<void> {
    await this.prisma.$disconnect();
  }
}

/** Provides one Prisma client (pg adapter, pooled) as `PRISMA` to every module. */
@Global()
@Module({
  providers: [
    {
      provide: PRISMA,
      inject: [API_CONFIG],
      useFactory: (config: ApiConfig): TrellisPrismaClient => createWorkspaceScopedClient(config.databaseUrl),
    },
    PrismaShutdown,
  ],
  exports: [PRISMA],
})
export class PrismaModule {}
