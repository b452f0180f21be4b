/** Static validation of a whole DAG. NOT workflow-safe: checks `inputSchema` with ajv. */
import { dagSchema, type Dag } from '../dag-schema.js';
import type { NodeTypeCatalogue } from '../node-types/catalogue.js';
import { checkJsonSchema } from '../json-schema/schema-compiler.js';
import { checkNodeConfigs } from './config-checks.js';
import { isRecord, viewEdges, viewNodes } from './dag-views.js';
import { checkNodeDurations } from './duration-checks.js';
import { checkExpressions } from './expression-checks.js';
import { checkCompensations, checkErrorRoutes } from './error-handling-checks.js';
import { checkAcyclic, checkEdgeEndpoints, checkUniqueNodeIds } from './graph-checks.js';
import { checkSecretReferences } from './secret-checks.js';
import { checkNodeTypeRules } from './type-checks.js';
import { fromZodIssues, joinPath, type ValidationIssue } from './issues.js';

export interface ValidateDagOptions {
  /** The node types that exist (workflow types and connectors); see `nodeTypeCatalogue()` in `@trellis/connectors`. */
  catalogue: NodeTypeCatalogue;
}

export type DagValidationResult = { ok: true; dag: Dag } | { ok: false; issues: ValidationIssue[] };

/**
 * Checks a DAG document and reports every problem found, each with a path (`nodes[2].config.url`).
 *
 * Checks: the document's shape (the DAG schema); at least one node; unique node ids; edges between
 * existing nodes; no self-loops; no cycles; known node types; each node's config against its type's
 * schema (values holding `{{ … }}` templates are accepted, being known only at run time); JSONata syntax
 * of edge conditions, templates and `output`; secret references only as `{{ secrets.NAME }}` in request fields; durations Temporal would reject; `inputSchema` as JSON
 * Schema (draft 2020-12, or draft-07 when declared); `onError` routes and `compensate` actions; and each
 * node type's own checks (`forEach` bodies, recursively, as DAGs of their own; `agent` tools). Checks
 * continue past shape errors on whatever parts of the document are usable.
 *
 * @param raw - the DAG as parsed from JSON.
 * @returns the parsed DAG (defaults applied: `edges: []`, `config: {}`) when there is no problem.
 */
export function validateDag(raw: unknown, options: ValidateDagOptions): DagValidationResult {
  if (!isRecord(raw)) return { ok: false, issues: [{ path: '', message: 'a DAG must be a JSON object' }] };

  const shape = dagSchema.safeParse(raw);
  const issues: ValidationIssue[] = shape.success ? [] : fromZodIssues(shape.error.issues, raw);
  if (Array.isArray(raw.nodes) && raw.nodes.length === 0) {
    issues.push({ path: 'nodes', message: 'a DAG needs at least one node' });
  }

  const nodes = viewNodes(raw);
  const edges = viewEdges(raw);
  issues.push(
    ...checkUniqueNodeIds(nodes),
    ...checkEdgeEndpoints(nodes, edges),
    ...checkAcyclic(nodes, edges),
    ...checkNodeConfigs(nodes, options.catalogue),
    ...checkNodeDurations(nodes),
    ...checkExpressions(nodes, edges, raw.output),
    ...checkSecretReferences(nodes, edges, raw.output),
    ...checkErrorRoutes(nodes, edges),
    ...checkCompensations(nodes, options.catalogue),
    ...checkNodeTypeRules(nodes, options.catalogue, (body) => {
      const nested = validateDag(body, options);
      return nested.ok ? [] : nested.issues;
    }),
  );
  if (isRecord(raw.inputSchema)) {
    issues.push(...checkJsonSchema(raw.inputSchema).map((issue) => ({ ...issue, path: joinPath('inputSchema', issue.path) })));
  }

  if (issues.length > 0 || !shape.success) return { ok: false, issues };
  return { ok: true, dag: shape.data };
}
