/**
 * The protobuf form of a Temporal payload (`temporal.api.common.v1.Payload`), which is what the claim
 * check stores, measures and hashes.
 */
import { createHash } from 'node:crypto';
import type { Payload } from '@temporalio/common';
// A CommonJS package whose names Node's ESM loader cannot see: only the default import works at run time.
import proto from '@temporalio/proto';

const PayloadMessage = proto.temporal.api.common.v1.Payload;

/**
 * Size of `payload`'s protobuf encoding, in bytes, computed without allocating the encoded buffer.
 */
export function encodedPayloadSize(payload: Payload): number {
  return PayloadMessage.encode(payload).len;
}

/** The protobuf encoding of `payload` (metadata, data and any other field it carries). */
export function encodePayloadMessage(payload: Payload): Uint8Array {
  return PayloadMessage.encode(payload).finish();
}

/**
 * Parses bytes written by {@link encodePayloadMessage} back into a payload.
 * @throws Error (protobufjs) when the bytes are not a `Payload` message.
 */
export function decodePayloadMessage(bytes: Uint8Array): Payload {
  return PayloadMessage.decode(bytes);
}

/** Lower-case hex SHA-256 of `bytes` (64 characters): the claim's id, so equal payloads share a row. */
export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
