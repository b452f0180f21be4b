import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import { API_CONFIG, type ApiConfig } from '../config/api-config.js';

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
 */
@Global()
@Module({
  providers: [
    {
      provide: TEMPORAL_CLIENT,
      inject: [API_CONFIG],
      useFactory: (config: ApiConfig): Client =>
        new Client({
          connection: Connection.lazy({ address: config.temporalAddress }),
          namespace: config.temporalNamespace,
        }),
    },
    TemporalShutdown,
  ],
  exports: [TEMPORAL_CLIENT],
})
export class TemporalModule {}
