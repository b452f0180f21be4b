/** Previews of large JSON values: cut at a byte budget, never inside a character, with the whole size. */
import { describe, expect, it } from 'vitest';
import { jsonPreviewOf } from '../dist/common/graphql/json-preview.type.js';

describe('jsonPreviewOf', () => {
  it('returns small values whole, indented, with their compact size in bytes', () => {
    const value = { name: 'café', items: [1, 2] };
    expect(jsonPreviewOf(value, 1_000)).toEqual({ text: JSON.stringify(value, null, 2), truncated: false, bytes: Buffer.byteLength(JSON.stringify(value)) });
  });

  it('cuts a large value within the budget, at a character boundary', () => {
    const value = { text: 'é€𝄞'.repeat(10_000) };
    for (const maxBytes of [100, 101, 102, 103, 4_096]) {
      const preview = jsonPreviewOf(value, maxBytes)!;
      expect(preview.truncated).toBe(true);
      expect(Buffer.byteLength(preview.text)).toBeLessThanOrEqual(maxBytes);
      expect(Buffer.byteLength(preview.text)).toBeGreaterThan(maxBytes - 4);
      expect(preview.text).not.toContain('\uFFFD');
      expect(JSON.stringify(value, null, 2).startsWith(preview.text)).toBe(true);
      expect(preview.bytes).toBe(Buffer.byteLength(JSON.stringify(value)));
    }
  });

  it('has no preview of no value', () => {
    expect(jsonPreviewOf(null, 10)).toBeNull();
    expect(jsonPreviewOf(undefined, 10)).toBeNull();
  });
});
