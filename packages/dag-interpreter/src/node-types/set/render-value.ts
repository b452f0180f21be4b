/** What a `set` node does, shared by its two paths (the `evaluateSet` activity, and older runs' workflow code). Workflow-safe. */
import { renderTemplates, type ExpressionContext } from '../../expressions.js';
import { setConfigSchema } from './index.js';
import { parseNodeConfig } from '../../validation/parse-node-config.js';

/**
 * Renders a `set` node's config against `context` and returns its output: the rendered `value` (`null` when
 * it renders to nothing).
 *
 * @param path - where the config sits, for error paths: `nodes[2].config`.
 * @throws ExpressionSyntaxError or ExpressionEvaluationError from a template.
 * @throws DagValidationError when the rendered config is not `{ value }`.
 */
export async function renderSetValue(config: Record<string, unknown>, context: ExpressionContext, path: string): Promise<unknown> {
  const rendered = await renderTemplates(config, context);
  return parseNodeConfig(setConfigSchema, rendered, path).value ?? null;
}
