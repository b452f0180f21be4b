/**
 * Compiling and evaluating JSONata expressions against a run's context.
 * Workflow-safe: imports only `jsonata` (no Node builtins, no I/O, no clock of its own).
 */
import jsonata from 'jsonata';
import { ExpressionEvaluationError, ExpressionSyntaxError } from './errors.js';
import { toJsonValue } from './json-value.js';

/** What expressions see: `input` is the run's input, `nodes.<id>` the state of each node reached so far. */
export type ExpressionContext = {
  input: unknown;
  nodes: Record<string, { output: unknown; status: string; error?: unknown }>;
};

/** A parsed expression, shared through the compile cache: it holds no per-run state. */
export interface CompiledExpression {
  readonly source: string;
  /**
   * Evaluates the expression with `context` as its input document (`input.x`, `nodes.fetch.output`).
   *
   * @returns the result as plain JSON data (see `toJsonValue`), or `undefined` when the expression
   *   selects nothing.
   * @throws ExpressionEvaluationError on any runtime error, including recursion deeper than
   *   {@link MAX_EVALUATION_DEPTH}.
   */
  evaluate(context: ExpressionContext): Promise<unknown>;
}

/**
 * Nesting limit of JSONata's evaluator (its `stack` option). Turns runaway recursion into a JSONata
 * `D1011` error at the same depth on every worker, instead of an engine-dependent native stack overflow,
 * which keeps workflow replays deterministic.
 */
export const MAX_EVALUATION_DEPTH = 500;

/**
 * Longest one evaluation may run, in ms (JSONata's `timeout` option: error `D1012`). It reads `Date.now()`,
 * which the workflow sandbox freezes for the length of a workflow task, so it only cuts off evaluations
 * outside the sandbox (the `evaluateSet` activity, the API), where a runaway expression would otherwise
 * hold the worker's event loop. Inside the sandbox the SDK's own workflow-task limit applies.
 */
export const MAX_EVALUATION_MS = 10_000;

/** Compiled expressions kept in memory; the least recently used is dropped beyond this. */
const CACHE_CAPACITY = 1_000;
const cache = new Map<string, CompiledExpression>();

/**
 * Parses a JSONata expression, reusing a cached result for the same source text.
 *
 * @param source - a bare JSONata expression (no `{{ }}`).
 * @throws ExpressionSyntaxError with JSONata's message and `position` when `source` does not parse
 *   (an empty expression does not parse either).
 */
export function compileExpression(source: string): CompiledExpression {
  const cached = cache.get(source);
  if (cached) {
    // Re-insert to mark as most recently used: Map iterates in insertion order.
    cache.delete(source);
    cache.set(source, cached);
    return cached;
  }
  const compiled = parse(source);
  if (cache.size >= CACHE_CAPACITY) cache.delete(cache.keys().next().value as string);
  cache.set(source, compiled);
  return compiled;
}

function parse(source: string): CompiledExpression {
  let expression: jsonata.Expression;
  try {
    expression = jsonata(source, { stack: MAX_EVALUATION_DEPTH, timeout: MAX_EVALUATION_MS });
  } catch (error) {
    throw ExpressionSyntaxError.fromJsonata(source, error);
  }
  return Object.freeze({
    source,
    async evaluate(context: ExpressionContext): Promise<unknown> {
      try {
        return toJsonValue(await expression.evaluate(context));
      } catch (error) {
        throw new ExpressionEvaluationError(source, error);
      }
    },
  });
}

/**
 * Evaluates a bare JSONata expression against `context`.
 *
 * @returns plain JSON data, or `undefined` when the expression selects nothing.
 * @throws ExpressionSyntaxError when `source` does not parse.
 * @throws ExpressionEvaluationError when evaluation fails; its message quotes the expression.
 */
export async function evaluateExpression(source: string, context: ExpressionContext): Promise<unknown> {
  return compileExpression(source).evaluate(context);
}

/** JSONata's own `$boolean` casting, so conditions follow the language's documented truthiness rules. */
const toBoolean = jsonata('$boolean($value)');

/**
 * Evaluates an edge condition and casts the result with JSONata's `$boolean` rules: `false` for
 * `false`, `null`, no value, `0`, `""`, `[]`, `{}`, functions, and arrays whose members are all false.
 *
 * @throws ExpressionSyntaxError when `source` does not parse.
 * @throws ExpressionEvaluationError when evaluation fails.
 */
export async function evaluateCondition(source: string, context: ExpressionContext): Promise<boolean> {
  const value = await evaluateExpression(source, context);
  if (value === undefined) return false;
  return (await toBoolean.evaluate({}, { value })) === true;
}
