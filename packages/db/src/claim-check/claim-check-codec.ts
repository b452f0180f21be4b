/**
 * Claim check as a Temporal `PayloadCodec`: payloads too large for workflow history are stored in the
 * `payloads` table and replaced by a small reference; decoding swaps the stored payload back in, so
 * workflows, activities and clients see the full value.
 */
import type { Payload, PayloadCodec } from '@temporalio/common';
import type { PrismaClient } from '../generated/prisma/client.js';
import { DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES } from './claim-threshold.js';
import { isClaimReference, parseClaimReference, toClaimReference } from './claim-reference.js';
import { decodePayloadMessage, encodedPayloadSize, encodePayloadMessage, sha256Hex } from './payload-message.js';

/** Options of {@link createClaimCheckCodec}. */
export interface ClaimCheckCodecOptions {
  /** Where payloads are stored (the `payloads` table). The codec never disconnects it. */
  prisma: PrismaClient;
  /**
   * A payload whose protobuf encoding is larger than this many bytes is stored by claim check.
   * Default {@link DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES} (128 KiB). A reference is about 200 bytes, so
   * thresholds below that still work but the reference itself can exceed them.
   */
  thresholdBytes?: number;
}

/**
 * Upper bound on the payload bytes sent in one INSERT (bytes), so a batch of several large payloads
 * does not build one huge statement; a single larger payload still goes alone.
 */
const INSERT_BATCH_BYTES = 16 * 1024 * 1024;

/**
 * Creates the claim-check codec. Use the same one (same database) in the worker and in every client:
 * a reference can only be decoded where its row can be read.
 *
 * - `encode`: each payload whose protobuf encoding exceeds the threshold is stored (id = hex SHA-256 of
 *   those bytes; identical payloads share one row, `INSERT … ON CONFLICT DO NOTHING`, and bytes already
 *   stored are not sent again) and replaced by a reference (format in `claim-reference.ts`). Other
 *   payloads, and references, are returned as they are. Order is kept.
 * - `decode`: references are resolved with one query per call and replaced by the stored payload;
 *   other payloads pass through untouched.
 *
 * @throws RangeError when `thresholdBytes` is not a positive integer.
 * `decode` rejects with an Error naming the id when a referenced row is missing, or when a reference is
 * malformed; `encode`/`decode` reject with Prisma's error when the database fails.
 */
export function createClaimCheckCodec(options: ClaimCheckCodecOptions): PayloadCodec {
  const { prisma } = options;
  const thresholdBytes = options.thresholdBytes ?? DEFAULT_CLAIM_CHECK_THRESHOLD_BYTES;
  if (!Number.isSafeInteger(thresholdBytes) || thresholdBytes <= 0) {
    throw new RangeError(`Claim-check threshold must be a positive integer number of bytes, got ${thresholdBytes}`);
  }

  /** Stores the rows not in the table yet, in statements of at most INSERT_BATCH_BYTES each. */
  async function store(blobs: Map<string, Uint8Array>): Promise<void> {
    const present = await prisma.payload.findMany({ where: { id: { in: [...blobs.keys()] } }, select: { id: true } });
    for (const { id } of present) blobs.delete(id);
    // A row shared with a newer run must look new, so pruning rows older than the retention stays safe.
    if (present.length > 0) {
      await prisma.payload.updateMany({ where: { id: { in: present.map((row) => row.id) } }, data: { createdAt: new Date() } });
    }
    let batch: { id: string; data: Uint8Array<ArrayBuffer>; sizeBytes: number }[] = [];
    let batchBytes = 0;
    const flush = async () => {
      if (batch.length === 0) return;
      await prisma.payload.createMany({ data: batch, skipDuplicates: true });
      batch = [];
      batchBytes = 0;
    };
    for (const [id, bytes] of blobs) {
      if (batchBytes > 0 && batchBytes + bytes.length > INSERT_BATCH_BYTES) await flush();
      // protobufjs allocates plain (non-shared) buffers; Prisma's Bytes type only spells that out.
      batch.push({ id, data: bytes as Uint8Array<ArrayBuffer>, sizeBytes: bytes.length });
      batchBytes += bytes.length;
    }
    await flush();
  }

  return {
    async encode(payloads: Payload[]): Promise<Payload[]> {
      const blobs = new Map<string, Uint8Array>();
      const encoded = payloads.map((payload) => {
        if (isClaimReference(payload) || encodedPayloadSize(payload) <= thresholdBytes) return payload;
        const bytes = encodePayloadMessage(payload);
        const id = sha256Hex(bytes);
        blobs.set(id, bytes);
        return toClaimReference(payload, { id, sizeBytes: bytes.length });
      });
      if (blobs.size > 0) await store(blobs);
      return encoded;
    },

    async decode(payloads: Payload[]): Promise<Payload[]> {
      const references = payloads.map((payload) => (isClaimReference(payload) ? parseClaimReference(payload) : undefined));
      const ids = [...new Set(references.flatMap((reference) => (reference ? [reference.id] : [])))];
      if (ids.length === 0) return payloads;
      const rows = await prisma.payload.findMany({ where: { id: { in: ids } }, select: { id: true, data: true } });
      const stored = new Map(rows.map((row) => [row.id, row.data]));
      return payloads.map((payload, index) => {
        const reference = references[index];
        if (!reference) return payload;
        const bytes = stored.get(reference.id);
        if (!bytes) {
          throw new Error(
            `Claim-check payload ${reference.id} (${reference.sizeBytes} bytes) is missing from the payloads table: ` +
              'it was deleted, or this client uses a different database than the one that stored it',
          );
        }
        return decodePayloadMessage(bytes);
      });
    },
  };
}
