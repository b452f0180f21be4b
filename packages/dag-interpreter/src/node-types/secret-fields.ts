/**
 * Where `{{ secrets.NAME }}` may appear: the config fields that only become an outgoing request (its URL,
 * query, headers and body, a provider's key and base URL). Validation refuses references anywhere else, and
 * the activities substitute values only here, so a secret cannot reach a prompt, a `set` value, code or a
 * node output. Workflow-safe.
 */

/** A config path prefix; `*` matches any array index or key. */
type FieldPattern = readonly string[];

const HTTP_FIELDS: readonly FieldPattern[] = [['url'], ['query'], ['headers'], ['body']];
const PROVIDER_FIELDS: readonly FieldPattern[] = [['apiKey'], ['baseUrl']];

/** The patterns per node type; a type absent here admits no secret. */
export const SECRET_FIELDS: Readonly<Record<string, readonly FieldPattern[]>> = {
  http: HTTP_FIELDS,
  llm: PROVIDER_FIELDS,
  agent: [...PROVIDER_FIELDS, ['tools', '*', 'http', 'url'], ['tools', '*', 'http', 'query'], ['tools', '*', 'http', 'headers'], ['tools', '*', 'http', 'body']],
  // The escalation is an `http` node config: its request fields.
  approval: HTTP_FIELDS.map((pattern) => ['escalation', ...pattern]),
};

/** True when a secret may be referenced at `path` (inside the config) of a node of type `type`. */
export function admitsSecret(type: string, path: readonly (string | number)[]): boolean {
  const patterns = Object.hasOwn(SECRET_FIELDS, type) ? SECRET_FIELDS[type] : [];
  return patterns.some((pattern) => pattern.length <= path.length && pattern.every((part, index) => part === '*' || part === String(path[index])));
}

/** The fields where type `type` admits secrets, for messages: `url, query, headers, body`. */
export function describeSecretFields(type: string): string {
  const patterns = Object.hasOwn(SECRET_FIELDS, type) ? SECRET_FIELDS[type] : [];
  return patterns.map((pattern) => pattern.join('.').replaceAll('.*', '[]')).join(', ');
}
