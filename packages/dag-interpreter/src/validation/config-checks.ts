/** Node types and per-type config rules, tolerant of values only known once templates are rendered. */
import type { ZodType } from 'zod';
import { hasTemplate } from '../expressions/template-scanner.js';
import type { NodeTypeCatalogue } from '../node-types/catalogue.js';
import type { NodeView } from './dag-views.js';
import { formatPath, fromZodIssues, valueAt, type PathSegment, type ValidationIssue } from './issues.js';

/**
 * Reports unknown node types at `nodes[i].type` and config errors at `nodes[i].config.<field…>`.
 *
 * A zod issue located at a string holding a `{{ … }}` template, or inside such a string's position, is
 * ignored: the value's real type is only known at run time, when `parseNodeConfig` checks it again.
 *
 * @param catalogue - the node types that exist.
 */
export function checkNodeConfigs(nodes: readonly NodeView[], catalogue: NodeTypeCatalogue): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const node of nodes) {
    // An empty type is a shape error (reported by zod); a missing config object likewise.
    if (!node.type) continue;
    const entry = catalogue.get(node.type);
    if (entry === undefined) {
      const known = catalogue.types().join(', ');
      issues.push({ path: formatPath(['nodes', node.index, 'type']), message: `unknown node type "${node.type}"; known types: ${known}` });
      continue;
    }
    if (node.config === undefined) continue;
    issues.push(...checkConfig(entry.configSchema, node.config, ['nodes', node.index, 'config']));
  }
  return issues;
}

/**
 * Checks one config against its schema, ignoring problems at strings that hold templates.
 * @param prefix - path segments of the config inside the DAG, prepended to each issue's path.
 */
export function checkConfig(schema: ZodType, config: unknown, prefix: readonly PathSegment[]): ValidationIssue[] {
  const result = schema.safeParse(config);
  if (result.success) return [];
  const relevant = result.error.issues.filter((issue) => !isAtTemplatedString(config, issue.path));
  return fromZodIssues(relevant, config, prefix);
}

/** True when `path` or one of its ancestors inside `config` is a string containing a template. */
function isAtTemplatedString(config: unknown, path: readonly PropertyKey[]): boolean {
  for (let length = path.length; length > 0; length -= 1) {
    const value = valueAt(config, path.slice(0, length));
    if (typeof value === 'string' && hasTemplate(value)) return true;
  }
  return false;
}
