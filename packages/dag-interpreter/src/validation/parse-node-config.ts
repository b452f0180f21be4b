/** Run-time check of a rendered node config. Workflow-safe (zod only, no ajv). */
import type { ZodType } from 'zod';
import { DagValidationError, fromZodIssues, joinPath } from './issues.js';

/**
 * Parses a node config after its templates were rendered, applying the schema's defaults.
 *
 * @param schema - the node type's config schema (from `workflowNodeConfigSchemas` or a connector).
 * @param config - the rendered config.
 * @param path - where the config sits, prefixed to every issue path (e.g. `nodes[3].config` or `config`).
 * @returns the parsed config.
 * @throws DagValidationError listing every problem, with paths such as `nodes[3].config.timeout`.
 */
export function parseNodeConfig<T>(schema: ZodType<T>, config: unknown, path: string): T {
  const result = schema.safeParse(config);
  if (result.success) return result.data;
  const issues = fromZodIssues(result.error.issues, config).map((issue) => ({
    ...issue,
    path: joinPath(path, issue.path),
  }));
  throw new DagValidationError(issues, 'invalid node config');
}
