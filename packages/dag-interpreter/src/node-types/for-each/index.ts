import { z } from 'zod';
import { nestedEdgesSchema, nestedNodesSchema } from '../../dag-schema.js';
import { agentReferenceSchema } from '../agent-reference.js';
import { defineNodeType } from '../node-type.js';
import { isRecord } from '../../validation/dag-views.js';
import { joinPath, type ValidationIssue } from '../../validation/issues.js';

/** Items in flight when `concurrency` is not set. */
export const DEFAULT_FOR_EACH_CONCURRENCY = 4;
/** Upper bound on `concurrency`: each item in flight holds activities and timers of one worker. */
export const MAX_FOR_EACH_CONCURRENCY = 100;

/**
 * Config of a `forEach` node: runs a body once per item of `items` with the input `{ item, index }`,
 * at most `concurrency` at a time, and outputs the bodies' outputs in item order.
 *
 * - `items`: a bare JSONata expression (no `{{ }}`) that must yield an array; a single value is one item.
 * - The body is either `agent` (another agent's version) or an inline sub-DAG: `nodes`, `edges` and an
 *   optional `output` expression, written exactly like a top-level DAG.
 * - `failFast` (default true): the first failed item cancels the others and fails the node; when false,
 *   every item runs and the node fails afterwards if any item failed.
 */
export const forEachConfigSchema = z
  .strictObject({
    items: z.string().min(1),
    agent: agentReferenceSchema.optional(),
    nodes: nestedNodesSchema.optional(),
    edges: nestedEdgesSchema.optional(),
    output: z.string().optional(),
    concurrency: z.number().int().min(1).max(MAX_FOR_EACH_CONCURRENCY).default(DEFAULT_FOR_EACH_CONCURRENCY),
    failFast: z.boolean().default(true),
  })
  .superRefine((config, context) => {
    if ((config.agent === undefined) === (config.nodes === undefined)) {
      context.addIssue({ code: 'custom', path: [], message: 'needs exactly one body: "agent" or inline "nodes"' });
    }
    if (config.agent !== undefined && (config.edges !== undefined || config.output !== undefined)) {
      context.addIssue({ code: 'custom', path: ['agent'], message: '"edges" and "output" belong to an inline body; remove them or "agent"' });
    }
  });

export type ForEachConfig = z.infer<typeof forEachConfigSchema>;

/**
 * The `forEach` node. Its `items` and `output` are bare expressions and its body a DAG of its own, all
 * evaluated per item by the loop, so none is rendered before the node runs; the body is validated here
 * as a DAG, with issues at `nodes[i].config.nodes[j]…`.
 */
export const forEachNodeType = defineNodeType({
  type: 'forEach',
  description: 'Runs a body (an inline sub-DAG or another agent) once per item of `items`, `concurrency` at a time; outputs the results in item order.',
  configSchema: forEachConfigSchema,
  unrenderedFields: ['items', 'nodes', 'edges', 'output'],
  notInLoopBody: null,
  check(node, context) {
    const issues: ValidationIssue[] = [];
    const { items, output, nodes: bodyNodes, edges: bodyEdges } = node.config;
    if (typeof items === 'string') issues.push(...context.checkExpression(items, ['items']));
    if (!Array.isArray(bodyNodes)) return issues;
    const body = { nodes: bodyNodes, edges: bodyEdges ?? [], ...(output === undefined ? {} : { output }) };
    for (const issue of context.validateNested(body)) issues.push({ ...issue, path: joinPath(context.at(), issue.path) });
    bodyNodes.forEach((bodyNode: unknown, index) => {
      if (!isRecord(bodyNode)) return;
      const restriction = typeof bodyNode.type === 'string' ? context.loopBodyRestriction(bodyNode.type) : undefined;
      if (restriction !== undefined) issues.push({ path: context.at('nodes', index, 'type'), message: restriction });
      // A loop item is not a run: nothing would ever run its compensations.
      if (bodyNode.compensate !== undefined) {
        issues.push({ path: context.at('nodes', index, 'compensate'), message: 'compensate is not supported inside a forEach body; compensate the forEach node itself' });
      }
    });
    return issues;
  },
});
