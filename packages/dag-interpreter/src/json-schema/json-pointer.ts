import type { PathSegment } from '../validation/issues.js';

/**
 * Splits a JSON Pointer (RFC 6901, as in ajv's `instancePath`/`schemaPath`) into path segments.
 * Segments that index an array of `root` become numbers, so `/items/0` over `{ items: [...] }`
 * reads `items[0]` while `/0` over `{ "0": … }` stays a key.
 */
export function pointerToSegments(pointer: string, root: unknown): PathSegment[] {
  if (pointer === '' || pointer === '#') return [];
  const segments: PathSegment[] = [];
  let current = root;
  for (const raw of pointer.replace(/^#/, '').split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    const isIndex = Array.isArray(current) && /^(0|[1-9]\d*)$/.test(key);
    segments.push(isIndex ? Number(key) : key);
    current = typeof current === 'object' && current !== null ? (current as Record<string, unknown>)[key] : undefined;
  }
  return segments;
}
