/**
 * JSONata expressions and `{{ … }}` templates, evaluated against `{ input, nodes }`.
 *
 * Workflow-safe: this module graph imports only `jsonata`, so the Temporal workflow bundle may use it.
 */
export {
  compileExpression,
  evaluateCondition,
  evaluateExpression,
  MAX_EVALUATION_DEPTH,
  type CompiledExpression,
  type ExpressionContext,
} from './expressions/compile.js';
export { ExpressionEvaluationError, ExpressionSyntaxError } from './expressions/errors.js';
export { toJsonValue } from './expressions/json-value.js';
export { findTemplates, renderTemplates, type TemplateReference, type ValuePath } from './expressions/templates.js';
export {
  findSecretReferences,
  mentionsSecrets,
  secretReferenceName,
  SECRET_NAME_PATTERN,
  substituteSecrets,
  type SecretReference,
} from './expressions/secret-references.js';
export { isWholeTemplate, scanTemplates, type TemplateSegment } from './expressions/template-scanner.js';
