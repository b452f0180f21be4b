/** Rendering and finding `{{ … }}` templates inside node configs. Workflow-safe (imports only jsonata). */
import { compileExpression, type ExpressionContext } from './compile.js';
import { ExpressionEvaluationError, ExpressionSyntaxError, quoteExpression } from './errors.js';
import { secretReferenceName } from './secret-references.js';
import { hasTemplate, isWholeTemplate, scanTemplates } from './template-scanner.js';

/** Where a template sits inside a value: object keys and array indexes from the root. */
export type ValuePath = (string | number)[];

/** A template found by {@link findTemplates}. */
export interface TemplateReference {
  /** Path of the string that holds the template. */
  path: ValuePath;
  /** The expression between the braces, trimmed. For an unclosed `{{`, the rest of the string. */
  expression: string;
  /** Set when the `{{` has no closing `}}`: `expression` was not delimited and must not be compiled. */
  unclosed?: true;
  /** Offset of the `{{` inside the string. */
  offset: number;
}

/**
 * Renders every template in `value`, walking arrays and plain objects deeply (object keys are not rendered).
 *
 * - A string that is exactly one `{{ … }}` (surrounding whitespace allowed) becomes the expression's value
 *   with its type kept; no value becomes `null`.
 * - A string with templates inside longer text becomes a string: each template is replaced by its value,
 *   strings as they are, `null`/no value as `""`, anything else as JSON.
 * - Other strings and non-string scalars are returned unchanged. The input is never mutated.
 *
 * - A `{{ secrets.NAME }}` template is kept as written: the activity sending the request substitutes the value
 *   (see `secret-references.ts`), so no secret ever passes through the workflow.
 *
 * Templates are evaluated one at a time in document order.
 *
 * A template whose value holds `{{ secrets.` text is refused: data (an input, a response, a model's tool
 * arguments) must not name a secret for the activity to substitute; only the DAG itself can.
 *
 * @throws ExpressionSyntaxError for a template that does not parse or an unclosed `{{`.
 * @throws ExpressionEvaluationError when a template fails at run time; the message quotes it.
 */
export async function renderTemplates(value: unknown, context: ExpressionContext): Promise<unknown> {
  if (typeof value === 'string') return renderString(value, context);
  if (Array.isArray(value)) {
    const rendered: unknown[] = [];
    for (const item of value) rendered.push(await renderTemplates(item, context));
    return rendered;
  }
  if (isPlainObject(value)) {
    const rendered: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) rendered[key] = await renderTemplates(item, context);
    return rendered;
  }
  return value;
}

async function renderString(text: string, context: ExpressionContext): Promise<unknown> {
  if (!hasTemplate(text)) return text;
  const segments = scanTemplates(text);
  if (segments.some((segment) => segment.kind === 'template' && secretReferenceName(segment.source) !== undefined)) {
    return renderAroundSecrets(text, segments, context);
  }
  if (isWholeTemplate(text)) {
    const template = segments.find((segment) => segment.kind === 'template');
    const result = refuseSecretSyntax(template!.source, await compileExpression(template!.source).evaluate(context));
    return result === undefined ? null : result;
  }
  let rendered = '';
  for (const segment of segments) {
    if (segment.kind === 'text') rendered += segment.text;
    else if (segment.kind === 'template') rendered += stringifyForText(refuseSecretSyntax(segment.source, await compileExpression(segment.source).evaluate(context)));
    else throw unclosedTemplateError(text, segment.start);
  }
  return rendered;
}

/** Renders the other templates of `text` into it, keeping each secret reference as written. */
async function renderAroundSecrets(text: string, segments: ReturnType<typeof scanTemplates>, context: ExpressionContext): Promise<string> {
  let rendered = '';
  for (const segment of segments) {
    if (segment.kind === 'text') rendered += segment.text;
    else if (segment.kind === 'unclosed') throw unclosedTemplateError(text, segment.start);
    else if (secretReferenceName(segment.source) !== undefined) rendered += text.slice(segment.start, segment.end);
    else rendered += stringifyForText(refuseSecretSyntax(segment.source, await compileExpression(segment.source).evaluate(context)));
  }
  return rendered;
}

/** `{{`, any whitespace (raw or as JSON escapes), then `secrets.`: what the activity would take for a reference. */
const SECRET_SYNTAX_IN_JSON = /\{\{(?:\s|\\[nrt])*secrets\./;

/**
 * `value` unless it holds text the activity would read as a secret reference, which would let data pull any
 * secret of the workspace into a request.
 * @throws ExpressionEvaluationError naming the template
 */
function refuseSecretSyntax(expression: string, value: unknown): unknown {
  if (value === null || (typeof value !== 'string' && typeof value !== 'object')) return value;
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
  if (!text.includes('{{') || !SECRET_SYNTAX_IN_JSON.test(text)) return value;
  throw new ExpressionEvaluationError(expression, new Error('its value holds "{{ secrets." text: data cannot name a secret, only the DAG can'));
}

function stringifyForText(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  return JSON.stringify(value) ?? '';
}

/** The error for a `{{` at `offset` in `text` that is never closed. */
export function unclosedTemplateError(text: string, offset: number): ExpressionSyntaxError {
  return new ExpressionSyntaxError(
    text,
    `unclosed template: "{{" at position ${offset} of ${quoteExpression(text)} has no matching "}}"`,
    { position: offset, code: 'TEMPLATE_UNCLOSED' },
  );
}

/**
 * Lists every `{{ … }}` in every string of `value` (deep walk of arrays and plain objects, keys excluded),
 * in document order, for static checks. Never throws: an unclosed `{{` is returned with `unclosed: true`.
 */
export function findTemplates(value: unknown): TemplateReference[] {
  const found: TemplateReference[] = [];
  collectTemplates(value, [], found);
  return found;
}

function collectTemplates(value: unknown, path: ValuePath, found: TemplateReference[]): void {
  if (typeof value === 'string') {
    if (!hasTemplate(value)) return;
    for (const segment of scanTemplates(value)) {
      if (segment.kind === 'template') found.push({ path, expression: segment.source, offset: segment.start });
      else if (segment.kind === 'unclosed') found.push({ path, expression: segment.source, offset: segment.start, unclosed: true });
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => collectTemplates(item, [...path, index], found));
  } else if (isPlainObject(value)) {
    for (const [key, item] of Object.entries(value)) collectTemplates(item, [...path, key], found);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}
