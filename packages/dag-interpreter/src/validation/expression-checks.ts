/** Syntax of every expression in a DAG: edge conditions, the output, and templates in node configs. */
import { compileExpression } from '../expressions/compile.js';
import { ExpressionSyntaxError } from '../expressions/errors.js';
import { findTemplates } from '../expressions/templates.js';
import { renderableConfig } from '../node-types/render-config.js';
import type { EdgeView, NodeView } from './dag-views.js';
import { formatPath, type PathSegment, type ValidationIssue } from './issues.js';

/**
 * Reports JSONata syntax errors at `edges[i].condition`, `output` and the config string holding a template.
 * Fields a node type keeps verbatim (`unrenderedFields`: code, inline sub-DAGs, agent tools) are left to
 * that type's own checks.
 */
export function checkExpressions(nodes: readonly NodeView[], edges: readonly EdgeView[], output: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const node of nodes) {
    if (!node.config) continue;
    const { renderable } = renderableConfig(node.type ?? '', node.config);
    issues.push(...checkTemplates(renderable, ['nodes', node.index, 'config']));
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
export function checkTemplates(value: unknown, prefix: readonly PathSegment[]): ValidationIssue[] {
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
