import { Field, Int, ObjectType } from '@nestjs/graphql';
import { assertIntInRange } from '../validation/argument-guards.js';

/** Default `maxBytes` of a preview: enough to read a value's shape at a glance. */
export const DEFAULT_PREVIEW_BYTES = 4_096;
/** Largest `maxBytes` a preview may ask for (1 MiB); the full value has its own field. */
export const MAX_PREVIEW_BYTES = 1_048_576;

@ObjectType('JsonPreview', {
  description: 'The start of a JSON value as indented text, for showing large values without sending them whole.',
})
export class JsonPreviewType {
  @Field(() => String, { description: 'The value as indented JSON, cut after `maxBytes` bytes (at a character boundary) when longer.' })
  text!: string;

  @Field(() => Boolean, { description: 'True when `text` was cut.' })
  truncated!: boolean;

  @Field(() => Int, { description: 'Size of the whole value as compact JSON (bytes of UTF-8).' })
  bytes!: number;
}

/**
 * The `outputPreview(maxBytes)` field of runs and nodes: checks the argument, then previews `value`.
 *
 * @throws TrellisException `BAD_USER_INPUT` when `maxBytes` is outside 1–{@link MAX_PREVIEW_BYTES}
 */
export function previewField(value: unknown, maxBytes: number): JsonPreviewType | null {
  assertIntInRange(maxBytes, 'maxBytes', 1, MAX_PREVIEW_BYTES);
  return jsonPreviewOf(value, maxBytes);
}

/**
 * A preview of `value`: its indented JSON cut to at most `maxBytes` bytes of UTF-8, never inside a
 * character; null for null.
 */
export function jsonPreviewOf(value: unknown, maxBytes: number): JsonPreviewType | null {
  if (value === null || value === undefined) return null;
  const bytes = Buffer.byteLength(JSON.stringify(value));
  const indented = Buffer.from(JSON.stringify(value, null, 2));
  if (indented.length <= maxBytes) return { text: indented.toString(), truncated: false, bytes };
  // A cut inside a multi-byte character leaves a replacement character at the end: drop it.
  return { text: indented.subarray(0, maxBytes).toString().replace(/\uFFFD$/, ''), truncated: true, bytes };
}
