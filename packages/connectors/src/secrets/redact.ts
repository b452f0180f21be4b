/**
 * Redaction by value: every resolved secret is scrubbed from what an activity returns or throws, in the forms
 * a server is likely to echo it back in (raw, base64, base64url, URL-encoded). Redacting by header name would
 * miss a secret that comes back through a templated body or an error message.
 */
import type { SecretUse } from '../egress/outbound.js';

/** The strings `value` may appear as, longest first, so a longer encoding is replaced before a shorter one inside it. */
function formsOf(value: string): string[] {
  const bytes = Buffer.from(value, 'utf8');
  const forms = [value, bytes.toString('base64'), bytes.toString('base64url'), encodeURIComponent(value), new URLSearchParams({ v: value }).toString().slice(2)];
  return [...new Set(forms)].filter((form) => form !== '').sort((a, b) => b.length - a.length);
}

/** A redactor for `secrets`: replaces each form of each value by `[REDACTED:NAME]`. */
export interface Redactor {
  text(text: string): string;
  /** Deep copy of a JSON-like value with every string (and object key) redacted. */
  value<T>(value: T): T;
}

/** Builds the {@link Redactor} of `secrets`; with none, it returns its input unchanged. */
export function redactorOf(secrets: readonly SecretUse[]): Redactor {
  const replacements = secrets
    .filter((secret) => secret.value !== '')
    .flatMap((secret) => formsOf(secret.value).map((form) => ({ form, marker: `[REDACTED:${secret.name}]` })))
    .sort((a, b) => b.form.length - a.form.length);
  const text = (input: string) => replacements.reduce((current, { form, marker }) => (current.includes(form) ? current.split(form).join(marker) : current), input);
  const value = (input: unknown): unknown => {
    if (typeof input === 'string') return text(input);
    if (Array.isArray(input)) return input.map(value);
    if (typeof input === 'object' && input !== null) return Object.fromEntries(Object.entries(input).map(([key, item]) => [text(key), value(item)]));
    return input;
  };
  if (replacements.length === 0) return { text: (input) => input, value: (input) => input };
  return { text, value: <T>(input: T) => value(input) as T };
}
