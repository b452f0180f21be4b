/** Where a DAG may reference secrets, and how: only `{{ secrets.NAME }}`, only in request fields. */
import { mentionsSecrets, secretReferenceName } from '../expressions/secret-references.js';
import { findTemplates } from '../expressions/templates.js';
import { admitsSecret, describeSecretFields } from '../node-types/secret-fields.js';
import type { EdgeView, NodeView } from './dag-views.js';
import { formatPath, type PathSegment, type ValidationIssue } from './issues.js';

/**
 * Reports every template that uses `secrets` where it may not: outside the fields of `SECRET_FIELDS` (prompts,
 * `set` values, code, `forEach` items, approval messages...), in edge conditions and `output`, or in any form
 * other than a plain `{{ secrets.NAME }}` (which the workflow could not evaluate without seeing the value).
 * Whether the names exist is the API's check, which knows the workspace.
 */
export function checkSecretReferences(nodes: readonly NodeView[], edges: readonly EdgeView[], output: unknown): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const node of nodes) {
    if (node.config) issues.push(...checkValue(node.type ?? '', node.config, ['nodes', node.index, 'config']));
    const compensation = node.compensate;
    if (compensation && typeof compensation.config === 'object') {
      const type = typeof compensation.type === 'string' ? compensation.type : '';
      issues.push(...checkValue(type, compensation.config, ['nodes', node.index, 'compensate', 'config']));
    }
  }
  for (const edge of edges) {
    if (edge.condition !== undefined && mentionsSecrets(edge.condition)) {
      issues.push({ path: formatPath(['edges', edge.index, 'condition']), message: 'a condition cannot read secrets' });
    }
  }
  if (typeof output === 'string' && mentionsSecrets(output)) issues.push({ path: 'output', message: 'the output cannot read secrets' });
  return issues;
}

function checkValue(type: string, config: unknown, prefix: readonly PathSegment[]): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const template of findTemplates(config)) {
    if (template.unclosed) continue;
    const path = formatPath([...prefix, ...template.path]);
    const isReference = secretReferenceName(template.expression) !== undefined;
    if (!isReference && !mentionsSecrets(template.expression)) continue;
    if (!isReference) {
      issues.push({ path, message: `a secret is referenced as {{ secrets.NAME }} on its own (NAME in upper case), not inside an expression: {{ ${template.expression} }}` });
    } else if (!admitsSecret(type, template.path)) {
      const fields = describeSecretFields(type);
      issues.push({
        path,
        message: fields === '' ? `a ${type || 'node'} node cannot use secrets` : `secrets may only be used in ${fields} of a ${type} node`,
      });
    }
  }
  return issues;
}
