/** Normalisation of JSONata results into plain JSON data. Workflow-safe (no imports). */

/**
 * Deep-copies a JSONata result into plain JSON data, so results never alias the evaluation context and
 * carry no JSONata internals (result sequences are arrays with extra enumerable flags).
 *
 * Mirrors `JSON.stringify`: functions (including JSONata lambdas) and `undefined` are dropped from objects and become
 * `null` in arrays, non-finite numbers become `null`. A top-level `undefined` or function gives `undefined`
 * ("no value"). Objects with a `toJSON` method are converted through it.
 */
export function toJsonValue(value: unknown): unknown {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return Number.isFinite(value) ? value : null;
    case 'object':
      return value === null ? null : copyObject(value);
    default:
      // undefined, functions, symbols and bigints are not JSON data.
      return undefined;
  }
}

function copyObject(value: object): unknown {
  if (Array.isArray(value)) return value.map((item) => toJsonValue(item) ?? null);
  if (isJsonataFunction(value)) return undefined;
  const withToJson = value as { toJSON?: () => unknown };
  if (typeof withToJson.toJSON === 'function') return toJsonValue(withToJson.toJSON());
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const converted = toJsonValue(item);
    if (converted !== undefined) copy[key] = converted;
  }
  return copy;
}

/**
 * JSONata represents lambdas and bound functions as objects flagged `_jsonata_lambda` / `_jsonata_function`
 * (a lambda holds its environment, which refers back to it, so it must not be walked).
 */
function isJsonataFunction(value: object): boolean {
  return Object.hasOwn(value, '_jsonata_lambda') || Object.hasOwn(value, '_jsonata_function');
}
