/** Syntax of every expression in a DAG: edge conditions, the output, and templates in node configs. */
import { compileExpression } from '../expressions/compile.js';
import { ExpressionSyntaxError } from '../expressions/errors.js';
import { findTemplates } from '../expressions/templates.js';
import type { EdgeView, NodeView } from './dag-views.js';
import { formatPath, type ValidationIssue } from './issues.js';

/** Reports JSONata syntax errors at `edges[i].condition`, `output` and the config string holding a template. */
export function checkExpressions(nodes: readonly NodeView[], edges: readonly EdgeView[], output: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const node of nodes) {
    if (!node.config) continue;
    for (const template of findTemplates(node.config)) {
      const path = formatPath(['nodes', node.index, 'config', ...template.path]);
      if (template.unclosed) {
        issues.push({ path, message: `unclosed template: "{{" at position ${template.offset} has no matching "}}"` });
      } else if (template.expression === '') {
        issues.push({ path, message: `empty template "{{ }}" at position ${template.offset}` });
      } else {
        pushSyntaxError(template.expression, path, issues);
      }
    }
  }
  for (const edge of edges) {
    if (edge.condition !== undefined) pushSyntaxError(edge.condition, formatPath(['edges', edge.index, 'condition']), issues);
  }
  if (typeof output === 'string') pushSyntaxError(output, 'output', issues);
  return issues;
}

function pushSyntaxError(source: string, path: string, issues: ValidationIssue[]): void {
  try {
    compileExpression(source);
  } catch (error) {
    if (!(error instanceof ExpressionSyntaxError)) throw error;
    issues.push({ path, message: error.message });
  }
}
