/** The contract between the performer table and each workflow node type's performer. */
import type { z, ZodType } from 'zod';
import type { NodeSpec } from '../dag-schema.js';
import type { NodeTypeDefinition } from '../node-types/node-type.js';
import { parseNodeConfig, renderableConfig, renderTemplates } from '../workflow-safe.js';
import type { NodeOutcome, NodeScope } from './interpreter.js';
import type { RunEnvironment } from './run-environment.js';

/**
 * Performs one node of a workflow node type, for the run (or loop item) `env` describes.
 * @throws to fail the node (an `ApplicationFailure` whose `type` names the failure).
 */
export type NodeTypePerformer = (env: RunEnvironment, node: NodeSpec, scope: NodeScope) => Promise<NodeOutcome>;

/**
 * Renders a node's config (all but the type's `unrenderedFields`) against the scope's context.
 * @returns the rendered config as an object (verbatim fields included).
 * @throws ExpressionEvaluationError from a template.
 */
export async function renderConfig(node: NodeSpec, scope: NodeScope): Promise<Record<string, unknown>> {
  const { renderable, verbatim } = renderableConfig(node.type, node.config);
  return { ...((await renderTemplates(renderable, scope.context)) as Record<string, unknown>), ...verbatim };
}

/**
 * Renders a node's config and parses it with its type's schema (defaults applied).
 * @throws DagValidationError when the rendered config does not match, with paths such as `nodes[2].config.duration`.
 */
export async function renderedConfigOf<S extends ZodType>(definition: NodeTypeDefinition<S>, node: NodeSpec, scope: NodeScope): Promise<z.output<S>> {
  return parseNodeConfig(definition.configSchema, await renderConfig(node, scope), `${scope.path}.config`) as z.output<S>;
}
