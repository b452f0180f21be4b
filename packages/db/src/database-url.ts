/**
 * Small helpers for `postgresql://` URLs.
 */

/**
 * The Postgres schema named by Prisma's `?schema=` URL parameter, or `undefined` when absent.
 *
 * @throws TypeError when `databaseUrl` is not a URL.
 */
export function schemaFromDatabaseUrl(databaseUrl: string): string | undefined {
  const schema = new URL(databaseUrl).searchParams.get('schema');
  return schema === null || schema === '' ? undefined : schema;
}

/**
 * The URL with its password replaced by `***`, for log lines and error messages.
 * Returns the input unchanged when it is not a URL.
 */
export function redactDatabaseUrl(databaseUrl: string): string {
  try {
    const url = new URL(databaseUrl);
    if (url.password !== '') url.password = '***';
    return url.toString();
  } catch {
    return databaseUrl;
  }
}
