/**
 * The small payload that stands in for a stored one in workflow history.
 *
 * Format (all metadata values UTF-8):
 * - metadata `encoding`: `binary/trellis-claim-check` ({@link CLAIM_CHECK_ENCODING})
 * - metadata `trellis-original-encoding`: the stored payload's own `encoding` (absent if it had none),
 *   so people reading history in Temporal's UI know what the value was
 * - metadata `trellis-size-bytes`: size of the stored protobuf-encoded payload, decimal
 * - data: JSON `{"id":"<hex sha-256 of the stored bytes>","sizeBytes":<same size>}`
 */
import type { Payload } from '@temporalio/common';

/** The `encoding` metadata value that marks a claim-check reference. */
export const CLAIM_CHECK_ENCODING = 'binary/trellis-claim-check';
/** Metadata key holding the stored payload's original `encoding`. */
export const CLAIM_CHECK_ORIGINAL_ENCODING_KEY = 'trellis-original-encoding';
/** Metadata key holding the stored payload's size in bytes (decimal text). */
export const CLAIM_CHECK_SIZE_KEY = 'trellis-size-bytes';

/** What a reference points at: a row of the `payloads` table. */
export interface ClaimReference {
  /** Lower-case hex SHA-256 of the stored bytes; the row's id. */
  id: string;
  /** Size of the stored protobuf-encoded payload, in bytes. */
  sizeBytes: number;
}

const SHA256_HEX = /^[0-9a-f]{64}$/;
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

/** True when `payload` is a claim-check reference (by its `encoding` metadata). */
export function isClaimReference(payload: Payload): boolean {
  const encoding = payload.metadata?.encoding;
  return encoding != null && utf8Decoder.decode(encoding) === CLAIM_CHECK_ENCODING;
}

/**
 * Builds the reference payload for a stored payload.
 * @param original - the payload being stored (only its `encoding` metadata is copied)
 */
export function toClaimReference(original: Payload, reference: ClaimReference): Payload {
  const metadata: Record<string, Uint8Array> = { encoding: utf8.encode(CLAIM_CHECK_ENCODING) };
  const originalEncoding = original.metadata?.encoding;
  if (originalEncoding != null) metadata[CLAIM_CHECK_ORIGINAL_ENCODING_KEY] = originalEncoding;
  metadata[CLAIM_CHECK_SIZE_KEY] = utf8.encode(String(reference.sizeBytes));
  return { metadata, data: utf8.encode(JSON.stringify({ id: reference.id, sizeBytes: reference.sizeBytes })) };
}

/**
 * Reads the id and size out of a reference payload (one for which {@link isClaimReference} holds).
 * @throws Error when its data is not `{"id":"<sha-256 hex>","sizeBytes":<integer>}`.
 */
export function parseClaimReference(payload: Payload): ClaimReference {
  const text = payload.data == null ? '' : utf8Decoder.decode(payload.data);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const candidate = parsed as Partial<ClaimReference> | undefined;
  if (
    typeof candidate !== 'object' ||
    candidate === null ||
    typeof candidate.id !== 'string' ||
    !SHA256_HEX.test(candidate.id) ||
    !Number.isSafeInteger(candidate.sizeBytes)
  ) {
    throw new Error(`Malformed claim-check reference payload (${CLAIM_CHECK_ENCODING}): ${JSON.stringify(text.slice(0, 200))}`);
  }
  return { id: candidate.id, sizeBytes: candidate.sizeBytes as number };
}
