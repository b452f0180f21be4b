/**
 * Splits strings into literal text and `{{ … }}` templates. Workflow-safe (no imports).
 *
 * A template ends at the first `}}` that is outside JSONata string literals, backtick names and
 * comments, and not part of a nested object constructor, so `{{ {"a": {"b": 1}} }}` is one template.
 * When that scan finds no end (an unterminated string literal, unbalanced braces), the first `}}` is
 * used instead, so JSONata reports the real syntax error rather than an unclosed template.
 */

export type TemplateSegment =
  | { kind: 'text'; text: string }
  /** `source` is the trimmed text between the braces; `start`/`end` are offsets of `{{` and after `}}`. */
  | { kind: 'template'; source: string; start: number; end: number }
  /** A `{{` with no matching `}}`: `source` is the trimmed rest of the string. Always the last segment. */
  | { kind: 'unclosed'; source: string; start: number };

const OPEN = '{{';
const CLOSE = '}}';

/**
 * Splits `text` into segments, in order. A string without `{{` yields one text segment
 * (or none when empty).
 */
export function scanTemplates(text: string): TemplateSegment[] {
  const segments: TemplateSegment[] = [];
  let cursor = 0;
  while (cursor < text.length) {
    const start = text.indexOf(OPEN, cursor);
    if (start < 0) break;
    if (start > cursor) segments.push({ kind: 'text', text: text.slice(cursor, start) });
    const close = findTemplateEnd(text, start + OPEN.length);
    if (close < 0) {
      segments.push({ kind: 'unclosed', source: text.slice(start + OPEN.length).trim(), start });
      return segments;
    }
    segments.push({ kind: 'template', source: text.slice(start + OPEN.length, close).trim(), start, end: close + CLOSE.length });
    cursor = close + CLOSE.length;
  }
  if (cursor < text.length) segments.push({ kind: 'text', text: text.slice(cursor) });
  return segments;
}

/** True when `text` has at least one `{{` (closed or not). */
export function hasTemplate(text: string): boolean {
  return text.includes(OPEN);
}

/**
 * True when `text` is exactly one closed `{{ … }}` template, optionally surrounded by whitespace:
 * such a string renders to the expression's value with its type kept.
 */
export function isWholeTemplate(text: string): boolean {
  const meaningful = scanTemplates(text).filter((segment) => segment.kind !== 'text' || segment.text.trim() !== '');
  return meaningful.length === 1 && meaningful[0].kind === 'template';
}

/** Offset of the `}}` closing a template whose body starts at `from`, or -1 when there is none. */
function findTemplateEnd(text: string, from: number): number {
  const syntaxAware = scanForClose(text, from);
  return syntaxAware >= 0 ? syntaxAware : text.indexOf(CLOSE, from);
}

function scanForClose(text: string, from: number): number {
  let depth = 0;
  let index = from;
  while (index < text.length) {
    const char = text[index];
    if (char === '"' || char === "'") {
      index = skipQuoted(text, index, char, true);
    } else if (char === '`') {
      index = skipQuoted(text, index, char, false);
    } else if (char === '/' && text[index + 1] === '*') {
      const end = text.indexOf('*/', index + 2);
      index = end < 0 ? text.length : end + 2;
    } else if (char === '}' && depth === 0 && text[index + 1] === '}') {
      return index;
    } else {
      if (char === '{') depth += 1;
      else if (char === '}' && depth > 0) depth -= 1;
      index += 1;
    }
  }
  return -1;
}

/** Index just after the literal that opens at `start`, or the text's length when it is unterminated. */
function skipQuoted(text: string, start: number, quote: string, hasEscapes: boolean): number {
  let index = start + 1;
  while (index < text.length) {
    const char = text[index];
    if (hasEscapes && char === '\\') index += 2;
    else if (char === quote) return index + 1;
    else index += 1;
  }
  return text.length;
}
