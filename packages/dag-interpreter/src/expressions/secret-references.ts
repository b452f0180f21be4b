/**
 * `{{ secrets.NAME }}`: a reference to a workspace secret. The workflow never evaluates one: rendering keeps
 * it as written, and the activity that sends the request substitutes the value at the moment of use, so
 * workflow history only ever holds the reference. Workflow-safe (no imports besides the scanner).
 */
import { hasTemplate, scanTemplates } from './template-scanner.js';

/** Secret names: an upper-case letter, then upper-case letters, digits and `_`. */
export const SECRET_NAME_PATTERN = /^[A-Z][A-Z0-9_]*$/;

const REFERENCE = /^secrets\.([A-Z][A-Z0-9_]*)$/;
/** `secrets` as a JSONata path root: not a field of something else (`x.secrets`), not a variable (`$secrets`). */
const MENTION = /(^|[^\w.$`])secrets\b/;

/** The secret a template's expression (trimmed, without braces) references, when it is exactly `secrets.NAME`. */
export function secretReferenceName(expression: string): string | undefined {
  return REFERENCE.exec(expression.trim())?.[1];
}

/**
 * True when `expression` reads the `secrets` root in any other way than a plain reference (`secrets.a`,
 * `$uppercase(secrets.TOKEN)`, `secrets`): such expressions are refused, since the workflow cannot evaluate them.
 * String literals are ignored.
 */
export function mentionsSecrets(expression: string): boolean {
  const withoutStrings = expression.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""');
  return MENTION.test(withoutStrings);
}

/** A secret reference found in a value: the path of the string holding it and the name. */
export interface SecretReference {
  path: (string | number)[];
  name: string;
}

/** Every `{{ secrets.NAME }}` in `value` (deep walk of arrays and plain objects, keys excluded), in document order. */
export function findSecretReferences(value: unknown, path: (string | number)[] = []): SecretReference[] {
  if (typeof value === 'string') {
    if (!hasTemplate(value)) return [];
    return scanTemplates(value).flatMap((segment) => {
      const name = segment.kind === 'template' ? secretReferenceName(segment.source) : undefined;
      return name === undefined ? [] : [{ path, name }];
    });
  }
  if (Array.isArray(value)) return value.flatMap((item, index) => findSecretReferences(item, [...path, index]));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([key, item]) => findSecretReferences(item, [...path, key]));
  }
  return [];
}

/**
 * `value` with every `{{ secrets.NAME }}` replaced by `valueOf(NAME)`; strings that hold no reference and
 * non-strings are returned as they are. The input is never mutated.
 */
export function substituteSecrets(value: unknown, valueOf: (name: string) => string): unknown {
  if (typeof value === 'string') {
    if (!hasTemplate(value)) return value;
    return scanTemplates(value)
      .map((segment) => {
        if (segment.kind === 'text') return segment.text;
        const name = segment.kind === 'template' ? secretReferenceName(segment.source) : undefined;
        return name === undefined ? value.slice(segment.start, segment.kind === 'template' ? segment.end : undefined) : valueOf(name);
      })
      .join('');
  }
  if (Array.isArray(value)) return value.map((item) => substituteSecrets(item, valueOf));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteSecrets(item, valueOf)]));
  }
  return value;
}
