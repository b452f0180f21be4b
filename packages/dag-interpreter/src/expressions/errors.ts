/** Errors raised by JSONata expressions and `{{ … }}` templates. Workflow-safe (no imports). */

/** Longest expression text quoted in an error message; longer ones are cut to keep messages readable. */
const MAX_QUOTED_EXPRESSION_LENGTH = 200;

/** Quotes an expression for an error message, shortened to {@link MAX_QUOTED_EXPRESSION_LENGTH} characters. */
export function quoteExpression(source: string): string {
  const shown =
    source.length > MAX_QUOTED_EXPRESSION_LENGTH ? `${source.slice(0, MAX_QUOTED_EXPRESSION_LENGTH)}…` : source;
  return JSON.stringify(shown);
}

/** The error object JSONata throws: a plain object, not an `Error` instance. */
interface JsonataErrorLike {
  message?: string;
  code?: string;
  position?: number;
  token?: string;
}

function asJsonataError(raw: unknown): JsonataErrorLike {
  return typeof raw === 'object' && raw !== null ? (raw as JsonataErrorLike) : { message: String(raw) };
}

function describe(raw: JsonataErrorLike): string {
  const position = typeof raw.position === 'number' ? ` (at position ${raw.position})` : '';
  return `${raw.message ?? 'unknown error'}${position}`;
}

/**
 * An expression or template that does not parse.
 *
 * `position` is JSONata's character offset inside `expression` (for an unclosed `{{`, the offset of the
 * `{{` inside the string that holds it); `code` is JSONata's error code (`S0201`…) or `TEMPLATE_UNCLOSED`.
 */
export class ExpressionSyntaxError extends Error {
  override readonly name = 'ExpressionSyntaxError';
  readonly expression: string;
  readonly position: number | undefined;
  readonly code: string | undefined;

  constructor(expression: string, message: string, details: { position?: number; code?: string } = {}) {
    super(message);
    this.expression = expression;
    this.position = details.position;
    this.code = details.code;
  }

  /** Wraps the error JSONata threw while parsing `expression`. */
  static fromJsonata(expression: string, raw: unknown): ExpressionSyntaxError {
    const error = asJsonataError(raw);
    return new ExpressionSyntaxError(
      expression,
      `invalid expression ${quoteExpression(expression)}: ${describe(error)}`,
      { position: error.position, code: error.code },
    );
  }
}

/** An expression that parsed but failed while being evaluated (type errors, unknown functions, recursion limit…). */
export class ExpressionEvaluationError extends Error {
  override readonly name = 'ExpressionEvaluationError';
  readonly expression: string;
  readonly position: number | undefined;
  /** JSONata's error code, such as `T2002`, when the error came from JSONata. */
  readonly code: string | undefined;

  constructor(expression: string, raw: unknown) {
    const error = asJsonataError(raw);
    super(`error evaluating ${quoteExpression(expression)}: ${describe(error)}`, { cause: raw });
    this.expression = expression;
    this.position = error.position;
    this.code = error.code;
  }
}
