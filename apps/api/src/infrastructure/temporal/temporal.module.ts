import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { createDataConverter, type TrellisDataConverter } from '@trellis/db';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';
import { PRISMA, type TrellisPrismaClient } from '../prisma/prisma-client.js';

/** Injection token of the shared Temporal {@link Client}. */
export const TEMPORAL_CLIENT = Symbol('TEMPORAL_CLIENT');

/** Injection token of the client's data converter (`createDataConverter`), which the codec endpoint also serves. */
export const TEMPORAL_DATA_CONVERTER = Symbol('TEMPORAL_DATA_CONVERTER');

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
 * Payloads go through the same data converter as the worker's: encrypted with the payload keys, and
 * claim-checked over the API's own Prisma client, the database the worker stores large payloads in, so
 * large run inputs stay out of workflow history and large results (queries, workflow results) can be read back.
 */
@Global()
@Module({
  providers: [
    {
      provide: TEMPORAL_DATA_CONVERTER,
      inject: [API_CONFIG, PRISMA],
      useFactory: (config: ApiConfig, prisma: TrellisPrismaClient): TrellisDataConverter =>
        createDataConverter({ prisma, claimCheckThresholdBytes: config.claimCheckThresholdBytes, payloadKeys: config.payloadKeys }),
    },
    {
      provide: TEMPORAL_CLIENT,
      inject: [API_CONFIG, TEMPORAL_DATA_CONVERTER],
      useFactory: (config: ApiConfig, dataConverter: TrellisDataConverter): Client =>
        new Client({
          connection: Connection.lazy({ address: config.temporalAddress }),
          namespace: config.temporalNamespace,
          dataConverter,
        }),
    },
    TemporalShutdown,
  ],
  exports: [TEMPORAL_CLIENT, TEMPORAL_DATA_CONVERTER],
})
export class TemporalModule {}
