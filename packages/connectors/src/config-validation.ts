/** Validates a node's rendered config against its connector's schema. */
import type { ZodType } from 'zod';
import { configError } from './errors.js';

/**
 * Parses `config` with `schema` (applying defaults).
 * @throws ConnectorError `ConfigError` (not retryable) whose message lists `path: message` per issue,
 *   paths rooted at `config` (`config.url: must be a valid http or https URL`).
 */
export function parseConnectorConfig<C>(schema: ZodType<C>, config: unknown, connectorType: string): C {
  const result = schema.safeParse(config);
  if (result.success) return result.data;
  const issues = result.error.issues.map((issue) => ({
    path: ['config', ...issue.path.map(String)].join('.'),
    message: issue.message,
  }));
  throw configError(
    `Invalid config for connector "${connectorType}": ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
    { issues },
  );
}
