/** Syntax of every expression in a DAG: edge conditions, the output, and templates in node configs. */
import { compileExpression } from '../expressions/compile.js';
import { ExpressionSyntaxError } from '../expressions/errors.js';
import { findTemplates } from '../expressions/templates.js';
import { renderableConfig } from '../node-types/unrendered-fields.js';
import type { EdgeView, NodeView } from './dag-views.js';
import { formatPath, type PathSegment, type ValidationIssue } from './issues.js';

/**
 * Reports JSONata syntax errors at `edges[i].condition`, `output` and the config string holding a template.
 * Fields kept verbatim (`UNRENDERED_CONFIG_FIELDS`: code, inline sub-DAGs) are checked by their own rules,
 * except an agent's `tools`, whose templates are rendered per call and checked here.
 */
export function checkExpressions(nodes: readonly NodeView[], edges: readonly EdgeView[], output: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const node of nodes) {
    if (!node.config) continue;
    const { renderable, verbatim } = renderableConfig(node.type ?? '', node.config);
    const scanned = node.type === 'agent' ? { ...renderable, tools: verbatim.tools } : renderable;
    issues.push(...checkTemplates(scanned, ['nodes', node.index, 'config']));
    if (node.compensate && typeof node.compensate.config === 'object') {
      issues.push(...checkTemplates(node.compensate.config, ['nodes', node.index, 'compensate', 'config']));
    }
  }
  for (const edge of edges) {
    if (edge.condition !== undefined) pushSyntaxError(edge.condition, formatPath(['edges', edge.index, 'condition']), issues);
  }
  if (typeof output === 'string') pushSyntaxError(output, 'output', issues);
  return issues;
}

/** Syntax of every `{{ }}` template inside `value`, reported at `prefix` + the path of the string. */
function checkTemplates(value: unknown, prefix: readonly PathSegment[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const template of findTemplates(value)) {
    const path = formatPath([...prefix, ...template.path]);
    if (template.unclosed) {
      issues.push({ path, message: `unclosed template: "{{" at position ${template.offset} has no matching "}}"` });
    } else if (template.expression === '') {
      issues.push({ path, message: `empty template "{{ }}" at position ${template.offset}` });
    } else {
      pushSyntaxError(template.expression, path, issues);
    }
  }
  return issues;
}

/** Adds the syntax error of a bare expression, if any, at `path`. */
export function pushSyntaxError(source: string, path: string, issues: ValidationIssue[]): void {
  try {
    compileExpression(source);
  } catch (error) {
    if (!(error instanceof ExpressionSyntaxError)) throw error;
    issues.push({ path, message: error.message });
  }
}
