import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { createClaimCheckCodec } from '@trellis/db';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { PRISMA, type TrellisPrismaClient } from '../prisma/prisma-client.js';

/** Injection token of the shared Temporal {@link Client}. */
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');

/** Closes the gRPC connection when the application shuts down. */
@Injectable()
class TemporalShutdown implements OnApplicationShutdown {
  constructor(@Inject(TEMPORAL_CLIENT) private readonly client: Client) {}

  async onApplicationShutdown(): Promise<void> {
    await this.client.connection.close();
  }
}

/**
 * Provides a Temporal client as `TEMPORAL_CLIENT`. The connection is lazy so the API starts (and
 * `/healthz` reports `temporal: "down"`) while Temporal is unreachable; gRPC reconnects on its own.
 * Payloads go through the claim-check codec over the API's own Prisma client, the same database the
 * worker stores large payloads in, so large run inputs stay out of workflow history and large results
 * (queries, workflow results) can be read back.
 */
@Global()
@Module({
  providers: [
    {
      provide: TEMPORAL_CLIENT,
      inject: [API_CONFIG, PRISMA],
      useFactory: (config: ApiConfig, prisma: TrellisPrismaClient): Client =>
        new Client({
          connection: Connection.lazy({ address: config.temporalAddress }),
          namespace: config.temporalNamespace,
          dataConverter: {
            payloadCodecs: [createClaimCheckCodec({ prisma, thresholdBytes: config.claimCheckThresholdBytes })],
          },
        }),
    },
    TemporalShutdown,
  ],
  exports: [TEMPORAL_CLIENT],
})
export class TemporalModule {}
