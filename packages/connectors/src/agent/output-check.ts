/** Checks an agent's final answer against the node's `outputSchema`. */
import type { AgentTurnResult } from '@trellis/dag-interpreter';
import { schemaProblems } from './schema-problems.js';

/** The `outputCheck` of an `agentTurn` result. */
export type AgentOutputCheck = NonNullable<AgentTurnResult['outputCheck']>;

/** A ```json fenced block (or a bare ``` fence), as models often wrap JSON even when told not to. */
const FENCED_BLOCK = /```[ \t]*(?:json)?[ \t]*\r?\n([\s\S]*?)```/i;

/**
 * Parses a model's answer as JSON: the whole text, or else the first fenced code block in it.
 * @returns `{ ok: true, value }`, or `{ ok: false, error }` with the parser's message.
 */
export function parseModelJson(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  const attempt = tryParse(text);
  if (attempt.ok) return attempt;
  const fenced = FENCED_BLOCK.exec(text);
  if (fenced) {
    const inner = tryParse(fenced[1]!);
    if (inner.ok) return inner;
  }
  return attempt;
}

function tryParse(text: string): { ok: true; value: unknown } | { ok: false; error: string } {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (error) {
    return { ok: false, error: (error as Error).message };
  }
}

/**
 * Parses `content` as JSON (see {@link parseModelJson}) and validates it against `schema`.
 * @returns `{ ok: true, json }` or `{ ok: false, problems }`, each problem `/path: message` or a parse error.
 * @throws ConnectorError `ConfigError` when `schema` is not a valid JSON Schema.
 */
export function checkAgentOutput(content: string | null, schema: Record<string, unknown>): AgentOutputCheck {
  if (content === null || content.trim() === '') return { ok: false, problems: ['the answer is empty; a JSON value is required'] };
  const parsed = parseModelJson(content);
  if (!parsed.ok) return { ok: false, problems: [`the answer is not valid JSON: ${parsed.error}`] };
  const problems = schemaProblems(schema, parsed.value, 'outputSchema');
  return problems.length === 0 ? { ok: true, json: parsed.value } : { ok: false, problems };
}
