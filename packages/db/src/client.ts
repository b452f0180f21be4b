import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from './generated/prisma/client.js';
import { schemaFromDatabaseUrl } from './database-url.js';

/** Options for {@link createPrismaClient}. */
export interface CreatePrismaClientOptions {
  /**
   * Maximum number of pooled connections (node-postgres `Pool` `max`).
   * Defaults to node-postgres' own default (10).
   */
  max?: number;
}

/**
 * Creates a Prisma client that talks to Postgres through node-postgres
 * (`@prisma/adapter-pg`); Prisma 7's `prisma-client` generator has no built-in engine.
 *
 * A `?schema=NAME` parameter in the URL (Prisma's convention) selects the Postgres schema
 * the client's queries use; without it, the connection's `search_path` decides (usually `public`).
 *
 * No connection is opened until the first query; call `$disconnect()` to close the pool.
 *
 * @param databaseUrl A `postgresql://user:password@host:port/database` URL.
 * @throws TypeError when `databaseUrl` is not a URL.
 */
export function createPrismaClient(databaseUrl: string, options: CreatePrismaClientOptions = {}): PrismaClient {
  const schema = schemaFromDatabaseUrl(databaseUrl);
  const adapter = new PrismaPg(
    { connectionString: databaseUrl, ...(options.max === undefined ? {} : { max: options.max }) },
    schema === undefined ? undefined : { schema },
  );
  return new PrismaClient({ adapter });
}
