/** Rules for what nests inside node configs: `forEach` bodies and an `agent`'s tools and schemas. */
import type { ZodType } from 'zod';
import { checkJsonSchema } from '../json-schema/schema-compiler.js';
import type { NodeView } from './dag-views.js';
import { isRecord } from './dag-views.js';
import { checkConfig } from './config-checks.js';
import { pushSyntaxError } from './expression-checks.js';
import { formatPath, joinPath, type PathSegment, type ValidationIssue } from './issues.js';

/** Validates a nested DAG document; supplied by `validateDag` to avoid an import cycle. */
export type NestedDagValidator = (raw: unknown) => ValidationIssue[];

/** Node types that cannot run inside a `forEach` body, with the reason. */
const NOT_IN_LOOP_BODIES: Readonly<Record<string, string>> = {
  approval: 'approvals cannot wait inside a forEach body; put the approval in an agent run by a subflow',
};

/**
 * Checks `forEach` nodes: `items` and `output` are bare JSONata, and an inline body (`nodes`, `edges`,
 * `output`) is itself a valid DAG, with issues reported at `nodes[i].config.nodes[j]…`.
 */
export function checkForEachBodies(nodes: readonly NodeView[], validateNested: NestedDagValidator): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const node of nodes) {
    if (node.type !== 'forEach' || !node.config) continue;
    const at = (...segments: PathSegment[]) => formatPath(['nodes', node.index, 'config', ...segments]);
    const { items, output, nodes: bodyNodes, edges: bodyEdges } = node.config;
    if (typeof items === 'string') pushSyntaxError(items, at('items'), issues);
    if (!Array.isArray(bodyNodes)) continue;
    const body = { nodes: bodyNodes, edges: bodyEdges ?? [], ...(output === undefined ? {} : { output }) };
    for (const issue of validateNested(body)) issues.push({ ...issue, path: joinPath(at(), issue.path) });
    bodyNodes.forEach((bodyNode: unknown, index) => {
      const type = isRecord(bodyNode) ? bodyNode.type : undefined;
      if (typeof type === 'string' && Object.hasOwn(NOT_IN_LOOP_BODIES, type)) {
        issues.push({ path: at('nodes', index, 'type'), message: NOT_IN_LOOP_BODIES[type] });
      }
      // A loop item is not a run: nothing would ever run its compensations.
      if (isRecord(bodyNode) && bodyNode.compensate !== undefined) {
        issues.push({ path: at('nodes', index, 'compensate'), message: 'compensate is not supported inside a forEach body; compensate the forEach node itself' });
      }
    });
  }
  return issues;
}

/**
 * Checks `agent` nodes: each `http` tool against the `http` connector's schema (templates allowed), and
 * every tool's `parameters` and the `outputSchema` as JSON Schema.
 */
export function checkAgentTools(nodes: readonly NodeView[], nodeTypes: Readonly<Record<string, ZodType>>): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const node of nodes) {
    if (node.type !== 'agent' || !node.config) continue;
    const prefix: PathSegment[] = ['nodes', node.index, 'config'];
    const { tools, outputSchema } = node.config;
    if (Array.isArray(tools)) {
      tools.forEach((tool: unknown, index) => {
        if (!isRecord(tool)) return;
        if (isRecord(tool.http) && Object.hasOwn(nodeTypes, 'http')) {
          issues.push(...checkConfig(nodeTypes.http, tool.http, [...prefix, 'tools', index, 'http']));
        }
        if (isRecord(tool.parameters)) issues.push(...schemaIssues(tool.parameters, [...prefix, 'tools', index, 'parameters']));
      });
    }
    if (isRecord(outputSchema)) issues.push(...schemaIssues(outputSchema, [...prefix, 'outputSchema']));
  }
  return issues;
}

function schemaIssues(schema: Record<string, unknown>, prefix: PathSegment[]): ValidationIssue[] {
  return checkJsonSchema(schema).map((issue) => ({ ...issue, path: joinPath(formatPath(prefix), issue.path) }));
}
